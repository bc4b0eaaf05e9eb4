using System.Diagnostics;
using System.Globalization;
using System.IO.Pipelines;
using System.Text.Json;
using Microsoft.AspNetCore.Connections;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Microsoft.Net.Http.Headers;

namespace Platform.Artifacts.Endpoints;

/// <summary>
/// Request handlers of the MLflow artifact proxy (<c>mlflow_artifacts.proto</c>, <c>MlflowArtifactsService</c>).
/// Bodies stream in both directions, so a transfer keeps only a few buffers in memory whatever the file size.
/// </summary>
internal sealed class ArtifactRequestHandlers
{
    private readonly IArtifactStore _store;
    private readonly ArtifactStoreOptions _options;
    private readonly ILogger<ArtifactRequestHandlers> _logger;
    private readonly ArtifactContentTypes _contentTypes = new();

    public ArtifactRequestHandlers(IArtifactStore store, IOptions<ArtifactStoreOptions> options, ILogger<ArtifactRequestHandlers> logger)
    {
        ArgumentNullException.ThrowIfNull(store);
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(logger);
        _store = store;
        _options = options.Value;
        _logger = logger;
    }

    /// <summary>Handles <c>GET .../artifacts/{path}</c>: streams the file, or one byte range of it.</summary>
    public Task DownloadAsync(HttpContext context) => RunAsync(context, async cancellationToken =>
    {
        var path = ArtifactPath.ParseFile(RoutePath(context));
        var range = RangeHeader.Parse(context.Request.Headers.Range);
        var content = await _store.OpenReadAsync(path, range, cancellationToken).ConfigureAwait(false);
        await using (content.ConfigureAwait(false))
        {
            var response = context.Response;
            response.StatusCode = range is null ? StatusCodes.Status200OK : StatusCodes.Status206PartialContent;
            response.ContentType = _contentTypes.ForFileName(path.Name);
            response.ContentLength = content.Length;
            response.Headers.AcceptRanges = "bytes";
            if (range is not null)
            {
                response.Headers.ContentRange = string.Create(
                    CultureInfo.InvariantCulture, $"bytes {content.Offset}-{content.Offset + content.Length - 1}/{content.TotalLength}");
            }

            // Sent as an attachment with nosniff, as MLflow does, so a browser never renders an artifact
            // (an uploaded HTML file, say) as a page of this server.
            var disposition = new ContentDispositionHeaderValue("attachment");
            disposition.SetHttpFileName(path.Name);
            response.Headers.ContentDisposition = disposition.ToString();
            response.Headers.XContentTypeOptions = "nosniff";

            await content.Stream.CopyToAsync(response.BodyWriter, cancellationToken).ConfigureAwait(false);
            ArtifactsLog.ArtifactDownloaded(_logger, path.Value, content.Length, content.Offset);
        }
    });

    /// <summary>Handles <c>PUT .../artifacts/{path}</c>: streams the raw request body into the store.</summary>
    public Task UploadAsync(HttpContext context) => RunAsync(context, async cancellationToken =>
    {
        var path = ArtifactPath.ParseFile(RoutePath(context));

        // Artifacts can be many gigabytes, so Kestrel's default body limit (30,000,000 bytes) is replaced by the configured one.
        var sizeLimit = context.Features.Get<IHttpMaxRequestBodySizeFeature>();
        if (sizeLimit is { IsReadOnly: false })
        {
            sizeLimit.MaxRequestBodySize = _options.MaxUploadBytes;
        }

        var started = Stopwatch.GetTimestamp();
        await _store.WriteAsync(path, context.Request.Body, context.Request.ContentType, cancellationToken).ConfigureAwait(false);
        ArtifactsLog.ArtifactUploaded(_logger, path.Value, context.Request.ContentLength, (long)Stopwatch.GetElapsedTime(started).TotalMilliseconds);
        await WriteEmptyObjectAsync(context, cancellationToken).ConfigureAwait(false);
    });

    /// <summary>Handles <c>DELETE .../artifacts/{path}</c>: deletes a file or a whole folder.</summary>
    public Task DeleteAsync(HttpContext context) => RunAsync(context, async cancellationToken =>
    {
        var path = ArtifactPath.ParseFile(RoutePath(context));
        if (!await _store.DeleteAsync(path, cancellationToken).ConfigureAwait(false))
        {
            throw ArtifactException.NotFound($"Artifact path '{path}' does not exist, so there is nothing to delete.");
        }

        ArtifactsLog.ArtifactDeleted(_logger, path.Value);
        await WriteEmptyObjectAsync(context, cancellationToken).ConfigureAwait(false);
    });

    /// <summary>
    /// Handles <c>GET .../artifacts?path=dir</c>: lists one folder level. Each entry's <c>path</c> is the bare
    /// name, because the MLflow client joins it to the folder it requested.
    /// </summary>
    public Task ListAsync(HttpContext context) => RunAsync(context, async cancellationToken =>
    {
        var folder = ArtifactPath.ParseFolder(context.Request.Query["path"].ToString());
        var entries = _store.ListAsync(folder, cancellationToken);

        // The first entry is read before any byte is sent, so a store failure still becomes an error response.
        var enumerator = entries.GetAsyncEnumerator(cancellationToken);
        await using (enumerator.ConfigureAwait(false))
        {
            var hasEntry = await enumerator.MoveNextAsync().ConfigureAwait(false);
            context.Response.StatusCode = StatusCodes.Status200OK;
            context.Response.ContentType = "application/json";
            await using var writer = new Utf8JsonWriter(context.Response.BodyWriter, ArtifactJson.WriterOptions);
            writer.WriteStartObject();
            writer.WriteStartArray("files");
            while (hasEntry)
            {
                var entry = enumerator.Current;
                WriteFileInfo(writer, entry with { Path = entry.Path[(entry.Path.LastIndexOf('/') + 1)..] });
                if (writer.BytesPending > 16 * 1024)
                {
                    await writer.FlushAsync(cancellationToken).ConfigureAwait(false);
                }

                hasEntry = await enumerator.MoveNextAsync().ConfigureAwait(false);
            }

            writer.WriteEndArray();
            writer.WriteEndObject();
            await writer.FlushAsync(cancellationToken).ConfigureAwait(false);
        }
    });

    /// <summary>Handles the multipart-upload routes, which this server does not offer.</summary>
    public Task MultipartNotImplementedAsync(HttpContext context) => RunAsync(context, _ =>
        throw new ArtifactException(
            ArtifactException.NotImplemented,
            StatusCodes.Status501NotImplemented,
            "Multipart artifact upload is not implemented by this server. Upload the file with a single " +
            "PUT /api/2.0/mlflow-artifacts/artifacts/<path>; the MLflow client falls back to it on this error."));

    internal static void WriteFileInfo(Utf8JsonWriter writer, ArtifactFileInfo entry)
    {
        writer.WriteStartObject();
        writer.WriteString("path", entry.Path);
        writer.WriteBoolean("is_dir", entry.IsDir);
        if (entry.FileSize is { } size)
        {
            writer.WriteNumber("file_size", size);
        }

        writer.WriteEndObject();
    }

    private static string? RoutePath(HttpContext context) => context.Request.RouteValues["path"] as string;

    private static async Task WriteEmptyObjectAsync(HttpContext context, CancellationToken cancellationToken)
    {
        context.Response.StatusCode = StatusCodes.Status200OK;
        context.Response.ContentType = "application/json";
        await context.Response.WriteAsync("{}", cancellationToken).ConfigureAwait(false);
    }

    private async Task RunAsync(HttpContext context, Func<CancellationToken, Task> handle)
    {
        var cancellationToken = context.RequestAborted;
        try
        {
            await handle(cancellationToken).ConfigureAwait(false);
        }
        catch (ArtifactException ex) when (!context.Response.HasStarted)
        {
            ArtifactsLog.RequestRejected(_logger, context.Request.Method, context.Request.Path, ex.StatusCode, ex.ErrorCode, ex.Message);
            await MlflowErrorResponse.WriteAsync(context, ex, cancellationToken).ConfigureAwait(false);
        }
        catch (BadHttpRequestException ex) when (!context.Response.HasStarted)
        {
            // Kestrel raises this for a body that is cut short or over the configured size limit.
            ArtifactsLog.RequestAborted(_logger, ex, context.Request.Method, context.Request.Path);
            await MlflowErrorResponse.WriteAsync(
                context, ex.StatusCode, ArtifactException.InvalidParameterValue, $"The request body could not be read: {ex.Message}", cancellationToken)
                .ConfigureAwait(false);
        }
        catch (Exception ex) when (IsClientGone(context, ex))
        {
            ArtifactsLog.RequestAborted(_logger, ex, context.Request.Method, context.Request.Path);
        }
        catch (Exception ex) when (!context.Response.HasStarted)
        {
            ArtifactsLog.RequestFailed(_logger, ex, context.Request.Method, context.Request.Path);
            await MlflowErrorResponse.WriteAsync(
                context, StatusCodes.Status500InternalServerError, MlflowErrorResponse.InternalError,
                "The artifact store failed to complete the request. The server log has the details.", cancellationToken)
                .ConfigureAwait(false);
        }
        catch (Exception ex)
        {
            // Headers and part of the body are sent already. Aborting the connection signals that the body is incomplete.
            ArtifactsLog.RequestFailed(_logger, ex, context.Request.Method, context.Request.Path);
            context.Abort();
        }
    }

    private static bool IsClientGone(HttpContext context, Exception exception) =>
        context.RequestAborted.IsCancellationRequested &&
        exception is OperationCanceledException or IOException or ConnectionAbortedException;
}
