using System.Globalization;
using System.Text;
using System.Text.Json;
using Microsoft.AspNetCore.Http;

namespace Platform.Testing.Gcs;

/// <summary>Bucket and object requests other than uploads: metadata, list, download and delete.</summary>
internal sealed class GcsObjectHandler
{
    private const int MaxPageSize = 1000;

    private readonly GcsObjectStore _store;

    public GcsObjectHandler(GcsObjectStore store)
    {
        _store = store;
    }

    public async Task CreateBucketAsync(HttpContext context)
    {
        using var body = await JsonDocument.ParseAsync(context.Request.Body, cancellationToken: context.RequestAborted);
        var name = body.RootElement.TryGetProperty("name", out var value) ? value.GetString() : null;
        if (string.IsNullOrEmpty(name))
        {
            throw GcsProtocolException.Invalid("Required field 'name' is missing from the bucket resource.");
        }

        if (_store.BucketExists(name))
        {
            throw new GcsProtocolException(409, "conflict", $"The bucket '{name}' already exists.");
        }

        _store.CreateBucket(name);
        await WriteBucketAsync(context, name);
    }

    public Task GetBucketAsync(HttpContext context, string bucket)
    {
        if (!_store.BucketExists(bucket))
        {
            throw GcsProtocolException.NotFound($"The specified bucket does not exist: {bucket}");
        }

        return WriteBucketAsync(context, bucket);
    }

    public Task GetMetadataAsync(HttpContext context, GcsRequest request, string bucket, string name)
    {
        var stored = FindObject(request, bucket, name);
        return GcsJson.WriteObjectResponseAsync(context, stored, ServerUrl(context));
    }

    public Task DeleteAsync(HttpContext context, string bucket, string name)
    {
        if (!_store.Delete(bucket, name))
        {
            throw GcsProtocolException.NotFound($"No such object: {bucket}/{name}");
        }

        context.Response.StatusCode = StatusCodes.Status204NoContent;
        return Task.CompletedTask;
    }

    public async Task DownloadAsync(HttpContext context, GcsRequest request, string bucket, string name)
    {
        var stored = FindObject(request, bucket, name);
        var (offset, count, partial) = ResolveRange(context.Request.Headers.Range.ToString(), stored.Size);

        FileStream file;
        try
        {
            file = new FileStream(stored.DataPath, FileMode.Open, FileAccess.Read, FileShare.Read | FileShare.Delete, bufferSize: 0, FileOptions.Asynchronous);
        }
        catch (FileNotFoundException)
        {
            // The object was replaced or deleted after the lookup.
            throw GcsProtocolException.NotFound($"No such object: {bucket}/{name}");
        }

        await using (file)
        {
            var response = context.Response;
            response.StatusCode = partial ? StatusCodes.Status206PartialContent : StatusCodes.Status200OK;
            response.ContentType = stored.ContentType;
            response.ContentLength = count;
            response.Headers.AcceptRanges = "bytes";
            response.Headers.ETag = GcsJson.ETag(stored);
            if (!partial)
            {
                // Only whole-object responses carry X-Goog-Hash: Google.Cloud.Storage.V1 checks the header
                // against the bytes of each response, so a whole-object hash on a range would fail it.
                response.Headers["X-Goog-Hash"] = $"crc32c={Crc32C.ToBase64(stored.Crc32C)},md5={Convert.ToBase64String(stored.Md5)}";
            }

            response.Headers["X-Goog-Generation"] = stored.Generation.ToString(CultureInfo.InvariantCulture);
            response.Headers["X-Goog-Metageneration"] = "1";
            response.Headers["X-Goog-Stored-Content-Length"] = stored.Size.ToString(CultureInfo.InvariantCulture);
            response.Headers["X-Goog-Stored-Content-Encoding"] = "identity";
            if (partial)
            {
                response.Headers.ContentRange = string.Create(CultureInfo.InvariantCulture, $"bytes {offset}-{offset + count - 1}/{stored.Size}");
            }

            file.Seek(offset, SeekOrigin.Begin);
            await CopyAsync(file, response.Body, count, context.RequestAborted);
        }
    }

    public async Task ListAsync(HttpContext context, GcsRequest request, string bucket)
    {
        var prefix = request.QueryValue("prefix") ?? string.Empty;
        var delimiter = request.QueryValue("delimiter") ?? string.Empty;
        var pageSize = (int)Math.Clamp(request.QueryInt64("maxResults") ?? MaxPageSize, 1, MaxPageSize);
        var after = DecodePageToken(request.QueryValue("pageToken"));

        var items = new List<GcsStoredObject>();
        var prefixes = new List<string>();
        string? lastKey = null;
        var hasMore = false;
        foreach (var stored in _store.List(bucket))
        {
            var name = stored.Name;
            if (!name.StartsWith(prefix, StringComparison.Ordinal) || IsBeforeToken(name, after, delimiter))
            {
                continue;
            }

            var delimiterIndex = delimiter.Length == 0 ? -1 : name.IndexOf(delimiter, prefix.Length, StringComparison.Ordinal);
            var key = delimiterIndex < 0 ? name : name[..(delimiterIndex + delimiter.Length)];
            if (delimiterIndex >= 0 && key == lastKey)
            {
                continue;
            }

            if (items.Count + prefixes.Count == pageSize)
            {
                hasMore = true;
                break;
            }

            if (delimiterIndex >= 0)
            {
                prefixes.Add(key);
            }
            else
            {
                items.Add(stored);
            }

            lastKey = key;
        }

        context.Response.ContentType = "application/json; charset=UTF-8";
        await using var writer = new Utf8JsonWriter(context.Response.BodyWriter);
        var serverUrl = ServerUrl(context);
        writer.WriteStartObject();
        writer.WriteString("kind", "storage#objects");
        if (hasMore)
        {
            writer.WriteString("nextPageToken", Convert.ToBase64String(Encoding.UTF8.GetBytes(lastKey!)));
        }

        if (prefixes.Count > 0)
        {
            writer.WriteStartArray("prefixes");
            prefixes.ForEach(writer.WriteStringValue);
            writer.WriteEndArray();
        }

        if (items.Count > 0)
        {
            writer.WriteStartArray("items");
            foreach (var item in items)
            {
                GcsJson.WriteObject(writer, item, serverUrl);
            }

            writer.WriteEndArray();
        }

        writer.WriteEndObject();
        await writer.FlushAsync(context.RequestAborted);
    }

    internal static string ServerUrl(HttpContext context) => $"{context.Request.Scheme}://{context.Request.Host}";

    // A page token is the last name or prefix of the previous page. Names up to it were already returned,
    // and so were names inside it when it is a prefix.
    private static bool IsBeforeToken(string name, string? after, string delimiter) =>
        after is not null &&
        (string.CompareOrdinal(name, after) <= 0 ||
         (delimiter.Length > 0 && after.EndsWith(delimiter, StringComparison.Ordinal) && name.StartsWith(after, StringComparison.Ordinal)));

    private static string? DecodePageToken(string? token)
    {
        if (string.IsNullOrEmpty(token))
        {
            return null;
        }

        try
        {
            return Encoding.UTF8.GetString(Convert.FromBase64String(token));
        }
        catch (FormatException)
        {
            throw GcsProtocolException.Invalid($"Invalid page token '{token}'.");
        }
    }

    private GcsStoredObject FindObject(GcsRequest request, string bucket, string name)
    {
        var stored = _store.Find(bucket, name);
        var generation = request.QueryInt64("generation");
        if (stored is null || (generation is { } wanted && wanted != stored.Generation))
        {
            throw GcsProtocolException.NotFound($"No such object: {bucket}/{name}");
        }

        return stored;
    }

    private static (long Offset, long Count, bool Partial) ResolveRange(string header, long size)
    {
        const string unit = "bytes=";
        if (string.IsNullOrEmpty(header) || !header.StartsWith(unit, StringComparison.Ordinal) || header.Contains(',', StringComparison.Ordinal))
        {
            return (0, size, false);
        }

        var spec = header[unit.Length..];
        var dash = spec.IndexOf('-', StringComparison.Ordinal);
        if (dash < 0)
        {
            return (0, size, false);
        }

        long first;
        long last;
        if (dash == 0)
        {
            var suffix = long.Parse(spec[1..], CultureInfo.InvariantCulture);
            first = Math.Max(0, size - suffix);
            last = size - 1;
        }
        else
        {
            first = long.Parse(spec[..dash], CultureInfo.InvariantCulture);
            last = dash == spec.Length - 1 ? size - 1 : Math.Min(size - 1, long.Parse(spec[(dash + 1)..], CultureInfo.InvariantCulture));
        }

        if (first >= size || last < first)
        {
            throw new GcsProtocolException(416, "requestedRangeNotSatisfiable", "The requested range cannot be satisfied.");
        }

        return (first, last - first + 1, true);
    }

    private static async Task CopyAsync(Stream source, Stream destination, long count, CancellationToken cancellationToken)
    {
        var buffer = new byte[128 * 1024];
        while (count > 0)
        {
            var read = await source.ReadAsync(buffer.AsMemory(0, (int)Math.Min(buffer.Length, count)), cancellationToken);
            if (read == 0)
            {
                throw new IOException("The object file ended before its recorded size.");
            }

            await destination.WriteAsync(buffer.AsMemory(0, read), cancellationToken);
            count -= read;
        }
    }

    private static async Task WriteBucketAsync(HttpContext context, string bucket)
    {
        context.Response.ContentType = "application/json; charset=UTF-8";
        await using var writer = new Utf8JsonWriter(context.Response.BodyWriter);
        writer.WriteStartObject();
        writer.WriteString("kind", "storage#bucket");
        writer.WriteString("id", bucket);
        writer.WriteString("name", bucket);
        writer.WriteString("location", "US");
        writer.WriteString("storageClass", "STANDARD");
        writer.WriteEndObject();
        await writer.FlushAsync(context.RequestAborted);
    }
}
