using Microsoft.AspNetCore.Http;

namespace Platform.Testing.Gcs;

/// <summary>
/// Dispatches JSON API requests by path, in the URL layout the Google.Apis.Storage.v1 client sends:
/// <c>/storage/v1/b/{bucket}/o[/{object}]</c>, <c>/download/storage/v1/b/{bucket}/o/{object}</c> and
/// <c>/upload/storage/v1/b/{bucket}/o</c>.
/// </summary>
internal sealed class GcsRequestRouter
{
    private readonly GcsObjectHandler _objects;
    private readonly GcsUploadHandler _uploads;
    private readonly GcsRequestLog _log;

    public GcsRequestRouter(GcsObjectStore store, GcsRequestLog log)
    {
        _objects = new GcsObjectHandler(store);
        _uploads = new GcsUploadHandler(store);
        _log = log;
    }

    public async Task HandleAsync(HttpContext context)
    {
        var request = GcsRequest.From(context);
        var method = context.Request.Method;
        _log.Add(method, request, context.Request.Headers);
        try
        {
            await DispatchAsync(context, request, method);
        }
        catch (GcsProtocolException ex) when (!context.Response.HasStarted)
        {
            await GcsJson.WriteErrorAsync(context, ex);
        }
        catch (Exception ex) when (!context.Response.HasStarted && ex is not OperationCanceledException)
        {
            // A bug in the test server: the message goes to the client so the failing test shows it.
            await GcsJson.WriteErrorAsync(context, new GcsProtocolException(500, "backendError", $"Test server failure: {ex}"));
        }
    }

    private Task DispatchAsync(HttpContext context, GcsRequest request, string method)
    {
        var segments = request.Segments;
        if (request.Matches("storage", "v1", "b"))
        {
            return (segments.Length, method) switch
            {
                (3, "POST") => _objects.CreateBucketAsync(context),
                (4, "GET") => _objects.GetBucketAsync(context, Uri.UnescapeDataString(segments[3])),
                (5, "GET") when segments[4] == "o" => _objects.ListAsync(context, request, Uri.UnescapeDataString(segments[3])),
                ( >= 6, "GET") when segments[4] == "o" => request.QueryValue("alt") == "media"
                    ? _objects.DownloadAsync(context, request, Uri.UnescapeDataString(segments[3]), request.ObjectName(5))
                    : _objects.GetMetadataAsync(context, request, Uri.UnescapeDataString(segments[3]), request.ObjectName(5)),
                ( >= 6, "DELETE") when segments[4] == "o" => _objects.DeleteAsync(context, Uri.UnescapeDataString(segments[3]), request.ObjectName(5)),
                _ => throw Unsupported(method, request),
            };
        }

        if (request.Matches("download", "storage", "v1", "b", "*", "o") && segments.Length >= 7 && method == "GET")
        {
            return _objects.DownloadAsync(context, request, Uri.UnescapeDataString(segments[4]), request.ObjectName(6));
        }

        if (request.Matches("upload", "storage", "v1", "b", "*", "o") && segments.Length == 6)
        {
            var bucket = Uri.UnescapeDataString(segments[4]);
            return method switch
            {
                "POST" => _uploads.StartAsync(context, request, bucket),
                "PUT" => _uploads.PutChunkAsync(context, request),
                "DELETE" => _uploads.CancelAsync(context, request),
                _ => throw Unsupported(method, request),
            };
        }

        throw Unsupported(method, request);
    }

    private static GcsProtocolException Unsupported(string method, GcsRequest request) =>
        GcsProtocolException.NotFound($"The test server has no handler for {method} {request.RawPath}.");
}
