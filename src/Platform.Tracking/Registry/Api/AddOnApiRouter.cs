using System.Text.Json;
using Microsoft.AspNetCore.Http.Features;
using Platform.Tracking.Api;

namespace Platform.Tracking.Registry.Api;

/// <summary>
/// Dispatches the routes of features outside the core tracking API: model registry, logged models and traces.
/// Errors are the core router's MLflow JSON errors: 405 for a wrong method, 400 for bad input, and a logged
/// 500 INTERNAL_ERROR for anything else. Each route is mapped under <c>/api/</c> and <c>/ajax-api/</c>, and routing
/// prefers these literal routes over the core router's catch-all.
/// </summary>
internal sealed partial class AddOnApiRouter
{
    private readonly Dictionary<string, Dictionary<string, Func<AddOnRequest, Task>>> _routes = new(StringComparer.Ordinal);
    private readonly ILogger<AddOnApiRouter> _logger;
    private bool _mapped;

    public AddOnApiRouter(IEnumerable<IAddOnRoutes> routeGroups, ILogger<AddOnApiRouter> logger)
    {
        ArgumentNullException.ThrowIfNull(routeGroups);
        ArgumentNullException.ThrowIfNull(logger);

        _logger = logger;
        foreach (var group in routeGroups)
        {
            group.Register(this);
        }
    }

    /// <summary>Adds a route; <paramref name="template"/> starts with the API version, for example <c>2.0/mlflow/registered-models/create</c>.</summary>
    public void Add(string method, string template, Func<AddOnRequest, Task> handler)
    {
        if (!_routes.TryGetValue(template, out var methods))
        {
            methods = new Dictionary<string, Func<AddOnRequest, Task>>(StringComparer.OrdinalIgnoreCase);
            _routes[template] = methods;
        }

        methods[method] = handler;
    }

    /// <summary>Maps every added route under <c>/api/</c> and <c>/ajax-api/</c>; later calls do nothing.</summary>
    public void MapRoutes(IEndpointRouteBuilder endpoints)
    {
        ArgumentNullException.ThrowIfNull(endpoints);

        // A second call would map every route twice, which makes ASP.NET Core routing reject each request as ambiguous.
        if (_mapped)
        {
            return;
        }

        _mapped = true;
        foreach (var (template, methods) in _routes)
        {
            endpoints.Map("/api/" + template, context => DispatchAsync(context, methods));
            endpoints.Map("/ajax-api/" + template, context => DispatchAsync(context, methods));
        }
    }

    private async Task DispatchAsync(HttpContext context, Dictionary<string, Func<AddOnRequest, Task>> methods)
    {
        if (!methods.TryGetValue(context.Request.Method, out var handler))
        {
            context.Response.Headers.Allow = string.Join(", ", methods.Keys);
            await JsonResults.WriteErrorAsync(context, ErrorCodes.MethodNotAllowed,
                $"Method {context.Request.Method} is not allowed for {context.Request.Path}. Use {string.Join(" or ", methods.Keys)}.");
            return;
        }

        try
        {
            await handler(await ReadRequestAsync(context));
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
                await JsonResults.WriteErrorAsync(context, ErrorCodes.InternalError,
                    $"Internal error while handling {context.Request.Path}: {ex.GetType().Name}. See the server log.");
            }
        }
    }

    private static async Task<AddOnRequest> ReadRequestAsync(HttpContext context)
    {
        if (HttpMethods.IsGet(context.Request.Method))
        {
            return new AddOnRequest(context, RequestMessage.FromQuery(context.Request.Query), default);
        }

        var bytes = await ReadBodyAsync(context, TrackingLimits.MaxRequestBytes);
        var message = RequestMessage.FromJson(bytes);

        // FromJson has checked the body already; this second parse only exposes booleans, which RequestMessage does not read.
        var body = bytes.IsEmpty ? default : JsonDocument.Parse(bytes).RootElement;
        if (body.ValueKind == JsonValueKind.String)
        {
            body = JsonDocument.Parse(body.GetString()!).RootElement;
        }

        return new AddOnRequest(context, message, body);
    }

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

        using var buffer = new MemoryStream();
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

        return buffer.ToArray();
    }

    private static TrackingException TooLarge(long size, int maxBytes) =>
        TrackingException.InvalidParameter(
            $"The request body has {size} bytes, which exceeds the limit of {maxBytes} bytes for this endpoint. Split the request.");

    [LoggerMessage(EventId = 3201, Level = LogLevel.Error, Message = "Request {Method} {Path} failed")]
    private static partial void LogRequestFailed(ILogger logger, Exception exception, string method, string path);

    [LoggerMessage(EventId = 3202, Level = LogLevel.Debug, Message = "Request {Path} was aborted by the client")]
    private static partial void LogRequestAborted(ILogger logger, string path);
}
