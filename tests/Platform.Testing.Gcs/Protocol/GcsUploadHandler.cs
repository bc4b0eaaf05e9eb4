using System.Globalization;
using System.Security.Cryptography;
using System.Text.Json;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.WebUtilities;
using Microsoft.Net.Http.Headers;

namespace Platform.Testing.Gcs;

/// <summary>
/// Upload requests: <c>uploadType=media</c>, <c>uploadType=multipart</c> and resumable sessions
/// (<c>uploadType=resumable</c>, then chunked PUTs with <c>Content-Range</c>, each acknowledged with
/// <c>308 Resume Incomplete</c> and a <c>Range</c> header until the last byte arrives).
/// </summary>
internal sealed class GcsUploadHandler
{
    /// <summary>Every chunk but the last must be a multiple of 256 KiB, as on the real service.</summary>
    public const int ChunkGranularity = 256 * 1024;

    private const int CopyBufferSize = 128 * 1024;

    private readonly GcsObjectStore _store;

    public GcsUploadHandler(GcsObjectStore store)
    {
        _store = store;
    }

    public Task StartAsync(HttpContext context, GcsRequest request, string bucket)
    {
        if (!_store.BucketExists(bucket))
        {
            throw GcsProtocolException.NotFound($"The specified bucket does not exist: {bucket}");
        }

        return request.QueryValue("uploadType") switch
        {
            "media" => UploadMediaAsync(context, request, bucket),
            "multipart" => UploadMultipartAsync(context, request, bucket),
            "resumable" => StartResumableAsync(context, request, bucket),
            var other => throw GcsProtocolException.Invalid($"Invalid uploadType '{other}'. Use media, multipart or resumable."),
        };
    }

    public async Task PutChunkAsync(HttpContext context, GcsRequest request)
    {
        var session = FindSession(request);
        await session.Gate.WaitAsync(context.RequestAborted);
        try
        {
            if (session.Result is not null)
            {
                await GcsJson.WriteObjectResponseAsync(context, session.Result, GcsObjectHandler.ServerUrl(context));
                return;
            }

            var range = GcsContentRange.Parse(context.Request.Headers.ContentRange, context.Request.ContentLength);
            var total = range.Total ?? session.DeclaredLength;
            if (!range.IsStatusQuery)
            {
                var fail = _store.TakeChunkFailure();
                await ReceiveChunkAsync(context, session, range, total, persistLimit: fail ? range.Length / 2 / ChunkGranularity * ChunkGranularity : null);
                if (fail)
                {
                    throw new GcsProtocolException(503, "backendError", "Injected failure: only part of the chunk was persisted. Query the upload status and resume.");
                }
            }

            if (total is { } size && session.Committed == size)
            {
                session.Result = Finish(session, context.Request.Headers["X-Goog-Hash"].ToString());
                await GcsJson.WriteObjectResponseAsync(context, session.Result, GcsObjectHandler.ServerUrl(context));
                return;
            }

            // A 308 with the persisted range lets the client continue from there. No Range header means no bytes yet.
            context.Response.StatusCode = StatusCodes.Status308PermanentRedirect;
            if (session.Committed > 0)
            {
                context.Response.Headers.Range = string.Create(CultureInfo.InvariantCulture, $"bytes=0-{session.Committed - 1}");
            }

            context.Response.ContentLength = 0;
        }
        finally
        {
            session.Gate.Release();
        }
    }

    public Task CancelAsync(HttpContext context, GcsRequest request)
    {
        var id = request.QueryValue("upload_id") ?? throw GcsProtocolException.Invalid("Query parameter 'upload_id' is missing.");
        if (!_store.CancelSession(id))
        {
            throw GcsProtocolException.NotFound($"No upload session with id '{id}'.");
        }

        // 499 is the status the real service sends for a cancelled session.
        context.Response.StatusCode = 499;
        return Task.CompletedTask;
    }

    private async Task StartResumableAsync(HttpContext context, GcsRequest request, string bucket)
    {
        var (name, contentType) = await ReadMetadataAsync(context.Request.Body, request, context.RequestAborted);
        contentType ??= NullIfEmpty(context.Request.Headers["X-Upload-Content-Type"].ToString());
        long? declaredLength = null;
        if (NullIfEmpty(context.Request.Headers["X-Upload-Content-Length"].ToString()) is { } lengthText)
        {
            declaredLength = long.TryParse(lengthText, NumberStyles.None, CultureInfo.InvariantCulture, out var length)
                ? length
                : throw GcsProtocolException.Invalid($"Invalid X-Upload-Content-Length '{lengthText}'.");
        }

        var session = _store.StartSession(bucket, name, contentType ?? "application/octet-stream", declaredLength, request.QueryInt64("ifGenerationMatch"));
        var separator = request.RawQuery.Length == 0 ? string.Empty : "&";
        context.Response.Headers.Location = $"{GcsObjectHandler.ServerUrl(context)}{request.RawPath}?{request.RawQuery}{separator}upload_id={session.Id}";
        context.Response.StatusCode = StatusCodes.Status200OK;
        context.Response.ContentLength = 0;
    }

    private async Task UploadMediaAsync(HttpContext context, GcsRequest request, string bucket)
    {
        var name = request.QueryValue("name") ?? throw GcsProtocolException.Invalid("Query parameter 'name' is required for uploadType=media.");
        var contentType = NullIfEmpty(context.Request.ContentType) ?? "application/octet-stream";
        var stored = await StoreBodyAsync(context.Request.Body, bucket, name, contentType, request.QueryInt64("ifGenerationMatch"), context.RequestAborted);
        await GcsJson.WriteObjectResponseAsync(context, stored, GcsObjectHandler.ServerUrl(context));
    }

    private async Task UploadMultipartAsync(HttpContext context, GcsRequest request, string bucket)
    {
        if (!MediaTypeHeaderValue.TryParse(context.Request.ContentType, out var mediaType) ||
            !mediaType.MediaType.Equals("multipart/related", StringComparison.OrdinalIgnoreCase) ||
            HeaderUtilities.RemoveQuotes(mediaType.Boundary).Value is not { Length: > 0 } boundary)
        {
            throw GcsProtocolException.Invalid($"uploadType=multipart needs Content-Type 'multipart/related; boundary=...', not '{context.Request.ContentType}'.");
        }

        var reader = new MultipartReader(boundary, context.Request.Body);
        var metadataSection = await reader.ReadNextSectionAsync(context.RequestAborted)
            ?? throw GcsProtocolException.Invalid("The multipart body has no metadata part.");
        var (name, contentType) = await ReadMetadataAsync(metadataSection.Body, request, context.RequestAborted);

        var mediaSection = await reader.ReadNextSectionAsync(context.RequestAborted)
            ?? throw GcsProtocolException.Invalid("The multipart body has no media part.");
        contentType ??= NullIfEmpty(mediaSection.ContentType) ?? "application/octet-stream";
        var stored = await StoreBodyAsync(mediaSection.Body, bucket, name, contentType, request.QueryInt64("ifGenerationMatch"), context.RequestAborted);
        await GcsJson.WriteObjectResponseAsync(context, stored, GcsObjectHandler.ServerUrl(context));
    }

    private async Task<GcsStoredObject> StoreBodyAsync(Stream body, string bucket, string name, string contentType, long? ifGenerationMatch, CancellationToken cancellationToken)
    {
        var tempPath = _store.NewTempPath();
        using var md5 = IncrementalHash.CreateHash(HashAlgorithmName.MD5);
        var crc32c = new Crc32C();
        long size = 0;
        try
        {
            await using (var file = new FileStream(tempPath, FileMode.CreateNew, FileAccess.Write, FileShare.None, bufferSize: 0, FileOptions.Asynchronous))
            {
                var buffer = new byte[CopyBufferSize];
                int read;
                while ((read = await body.ReadAsync(buffer, cancellationToken)) > 0)
                {
                    md5.AppendData(buffer, 0, read);
                    crc32c.Append(buffer.AsSpan(0, read));
                    await file.WriteAsync(buffer.AsMemory(0, read), cancellationToken);
                    size += read;
                }
            }

            return _store.Commit(bucket, name, contentType, tempPath, size, md5.GetHashAndReset(), crc32c.GetCurrentValue(), ifGenerationMatch);
        }
        catch
        {
            File.Delete(tempPath);
            throw;
        }
    }

    private static async Task ReceiveChunkAsync(HttpContext context, GcsUploadSession session, GcsContentRange range, long? total, long? persistLimit)
    {
        var first = range.First!.Value;
        if (first > session.Committed)
        {
            throw GcsProtocolException.Invalid(
                $"Invalid request. According to the Content-Range header, the upload offset is {first} byte(s), which exceeds already uploaded size of {session.Committed} byte(s).");
        }

        var isLast = total is { } size && range.Last!.Value + 1 == size;
        if (!isLast && range.Length % ChunkGranularity != 0)
        {
            throw GcsProtocolException.Invalid(
                $"Invalid request. The chunk of {range.Length} bytes is not a multiple of {ChunkGranularity} bytes, which every chunk but the last must be.");
        }

        if (context.Request.ContentLength is { } contentLength && contentLength != range.Length)
        {
            throw GcsProtocolException.Invalid($"Content-Length {contentLength} does not match Content-Range length {range.Length}.");
        }

        // Bytes before the committed offset were already persisted by an earlier, interrupted request.
        var skip = session.Committed - first;
        var keep = persistLimit ?? long.MaxValue;
        var body = context.Request.Body;
        var buffer = new byte[CopyBufferSize];
        await using var file = new FileStream(session.TempPath, FileMode.Append, FileAccess.Write, FileShare.None, bufferSize: 0, FileOptions.Asynchronous);
        int read;
        while ((read = await body.ReadAsync(buffer, context.RequestAborted)) > 0)
        {
            var start = (int)Math.Min(skip, read);
            skip -= start;
            var count = (int)Math.Min(read - start, keep);
            if (count > 0)
            {
                await file.WriteAsync(buffer.AsMemory(start, count), context.RequestAborted);
                session.Append(buffer.AsSpan(start, count));
                keep -= count;
            }
        }
    }

    private GcsStoredObject Finish(GcsUploadSession session, string hashHeader)
    {
        var md5 = session.FinishMd5();
        var crc32c = session.Crc32CValue;

        // The client sends X-Goog-Hash on the last request, and a mismatch rejects the upload, as GCS does.
        foreach (var part in hashHeader.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            var (algorithm, value) = part.IndexOf('=', StringComparison.Ordinal) is var equals and > 0
                ? (part[..equals], part[(equals + 1)..])
                : (part, string.Empty);
            var actual = algorithm switch
            {
                "crc32c" => Crc32C.ToBase64(crc32c),
                "md5" => Convert.ToBase64String(md5),
                _ => value,
            };
            if (!string.Equals(actual, value, StringComparison.Ordinal))
            {
                _store.CancelSession(session.Id);
                throw GcsProtocolException.Invalid($"Provided {algorithm} \"{value}\" doesn't match calculated {algorithm} \"{actual}\".");
            }
        }

        return _store.Commit(session.Bucket, session.Name, session.ContentType, session.TempPath, session.Committed, md5, crc32c, session.IfGenerationMatch);
    }

    private GcsUploadSession FindSession(GcsRequest request)
    {
        var id = request.QueryValue("upload_id") ?? throw GcsProtocolException.Invalid("Query parameter 'upload_id' is missing.");
        return _store.FindSession(id) ?? throw GcsProtocolException.NotFound($"No upload session with id '{id}'.");
    }

    private static async Task<(string Name, string? ContentType)> ReadMetadataAsync(Stream body, GcsRequest request, CancellationToken cancellationToken)
    {
        string? name = null;
        string? contentType = null;
        using var buffer = new MemoryStream();
        await body.CopyToAsync(buffer, cancellationToken);
        if (buffer.Length > 0)
        {
            using var json = JsonDocument.Parse(buffer.ToArray());
            if (json.RootElement.TryGetProperty("name", out var nameValue))
            {
                name = nameValue.GetString();
            }

            if (json.RootElement.TryGetProperty("contentType", out var typeValue))
            {
                contentType = typeValue.GetString();
            }
        }

        name = request.QueryValue("name") ?? name;
        if (string.IsNullOrEmpty(name))
        {
            throw GcsProtocolException.Invalid("The object name is missing: set 'name' in the query or in the JSON metadata.");
        }

        return (name, contentType);
    }

    private static string? NullIfEmpty(string? value) => string.IsNullOrEmpty(value) ? null : value;
}
