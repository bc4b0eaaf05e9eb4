using Microsoft.AspNetCore.Http.Features;

namespace Platform.Tracking.Api;

/// <summary>
/// Dispatches <c>/api/2.0/mlflow/*</c> and <c>/ajax-api/2.0/mlflow/*</c> requests, and turns every failure into
/// MLflow's JSON error: unknown routes are 404 ENDPOINT_NOT_FOUND, a wrong method is 405, bad input is 400.
/// </summary>
internal sealed partial class MlflowApiRouter
{
    private readonly Dictionary<string, MlflowEndpoint> _routes = new(StringComparer.Ordinal);
    private readonly ILogger<MlflowApiRouter> _logger;

    public MlflowApiRouter(ExperimentHandlers experiments, RunHandlers runs, MetricHandlers metrics, ArtifactListHandlers artifacts, ILogger<MlflowApiRouter> logger)
    {
        ArgumentNullException.ThrowIfNull(experiments);
        ArgumentNullException.ThrowIfNull(runs);
        ArgumentNullException.ThrowIfNull(metrics);
        ArgumentNullException.ThrowIfNull(artifacts);
        ArgumentNullException.ThrowIfNull(logger);

        experiments.Register(_routes);
        runs.Register(_routes);
        metrics.Register(_routes);
        artifacts.Register(_routes);
        _logger = logger;
    }

    public async Task HandleAsync(HttpContext context)
    {
        var path = context.Request.RouteValues["path"] as string ?? string.Empty;
        if (!_routes.TryGetValue(path.TrimEnd('/'), out var endpoint))
        {
            await WriteEndpointNotFoundAsync(context);
            return;
        }

        if (!endpoint.Methods.Contains(context.Request.Method, StringComparer.OrdinalIgnoreCase))
        {
            context.Response.Headers.Allow = string.Join(", ", endpoint.Methods);
            await JsonResults.WriteErrorAsync(context, ErrorCodes.MethodNotAllowed,
                $"Method {context.Request.Method} is not allowed for {context.Request.Path}. Use {string.Join(" or ", endpoint.Methods)}.");
            return;
        }

        try
        {
            var message = HttpMethods.IsGet(context.Request.Method)
                ? RequestMessage.FromQuery(context.Request.Query)
                : RequestMessage.FromJson(await ReadBodyAsync(context, endpoint.MaxBodyBytes));
            await endpoint.Handler(context, message);
        }
        catch (TrackingException ex)
        {
            await JsonResults.WriteErrorAsync(context, ex.ErrorCode, ex.Message);
        }
        catch (BadHttpRequestException ex)
        {
            await JsonResults.WriteErrorAsync(context, ErrorCodes.BadRequest, $"Invalid request: {ex.Message}");
        }
        catch (OperationCanceledException) when (context.RequestAborted.IsCancellationRequested)
        {
            LogRequestAborted(_logger, context.Request.Path);
        }
#pragma warning disable CA1031 // Any other failure must still reach the client as MLflow's JSON error, after it is logged.
        catch (Exception ex)
#pragma warning restore CA1031
        {
            LogRequestFailed(_logger, ex, context.Request.Method, context.Request.Path);
            if (!context.Response.HasStarted)
            {
                await JsonResults.WriteErrorAsync(context, ErrorCodes.InternalError, $"Internal error while handling {context.Request.Path}: {ex.GetType().Name}. See the server log.");
            }
        }
    }

    /// <summary>Writes 404 ENDPOINT_NOT_FOUND, which MLflow's client needs to fall back to other routes.</summary>
    public static Task WriteEndpointNotFoundAsync(HttpContext context) =>
        JsonResults.WriteErrorAsync(context, ErrorCodes.EndpointNotFound,
            $"No endpoint {context.Request.Method} {context.Request.Path} exists on this tracking server.");

    private static async Task<ReadOnlyMemory<byte>> ReadBodyAsync(HttpContext context, int maxBytes)
    {
        var request = context.Request;
        if (request.ContentLength > maxBytes)
        {
            throw TooLarge(request.ContentLength.Value, maxBytes);
        }

        var sizeFeature = context.Features.Get<IHttpMaxRequestBodySizeFeature>();
        if (sizeFeature is { IsReadOnly: false })
        {
            sizeFeature.MaxRequestBodySize = maxBytes + 1L;
        }

        using var buffer = new MemoryStream(request.ContentLength is { } length ? (int)length : 4096);
        var chunk = new byte[16 * 1024];
        int read;
        while ((read = await request.Body.ReadAsync(chunk, context.RequestAborted)) > 0)
        {
            buffer.Write(chunk, 0, read);
            if (buffer.Length > maxBytes)
            {
                throw TooLarge(buffer.Length, maxBytes);
            }
        }

        return buffer.GetBuffer().AsMemory(0, (int)buffer.Length);
    }

    private static TrackingException TooLarge(long size, int maxBytes) =>
        TrackingException.InvalidParameter(
            $"The request body has {size} bytes, which exceeds the limit of {maxBytes} bytes for this endpoint. Split the request.");

    [LoggerMessage(EventId = 3001, Level = LogLevel.Error, Message = "Request {Method} {Path} failed")]
    private static partial void LogRequestFailed(ILogger logger, Exception exception, string method, string path);

    [LoggerMessage(EventId = 3002, Level = LogLevel.Debug, Message = "Request {Path} was aborted by the client")]
    private static partial void LogRequestAborted(ILogger logger, string path);
}
