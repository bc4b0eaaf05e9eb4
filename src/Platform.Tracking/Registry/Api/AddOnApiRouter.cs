using Platform.Tracking.Api;

namespace Platform.Tracking.Registry.Api;

/// <summary>
/// Maps the routes of features outside the core tracking API (model registry, logged models, traces) and runs each
/// request through the core router's <see cref="ApiRequestDispatcher"/>, so that errors and body limits are the same.
/// Each route is mapped under <c>/api/</c> and <c>/ajax-api/</c>, and routing prefers these literal routes over the
/// core router's catch-all.
/// </summary>
internal sealed class AddOnApiRouter
{
    private readonly Dictionary<string, Dictionary<string, Func<AddOnRequest, Task>>> _routes = new(StringComparer.Ordinal);
    private readonly ApiRequestDispatcher _dispatcher;
    private bool _mapped;

    public AddOnApiRouter(IEnumerable<IAddOnRoutes> routeGroups, ApiRequestDispatcher dispatcher)
    {
        ArgumentNullException.ThrowIfNull(routeGroups);
        ArgumentNullException.ThrowIfNull(dispatcher);

        _dispatcher = dispatcher;
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

    private Task DispatchAsync(HttpContext context, Dictionary<string, Func<AddOnRequest, Task>> methods)
    {
        if (!methods.TryGetValue(context.Request.Method, out var handler))
        {
            return ApiRequestDispatcher.WriteMethodNotAllowedAsync(context, methods.Keys);
        }

        return _dispatcher.InvokeAsync(context, TrackingLimits.MaxRequestBytes,
            (httpContext, message) => handler(new AddOnRequest(httpContext, message)));
    }
}
