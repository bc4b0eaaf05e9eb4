namespace Platform.Tracking.Api;

/// <summary>
/// Dispatches <c>/api/2.0/mlflow/*</c> and <c>/ajax-api/2.0/mlflow/*</c> requests of the core tracking API through
/// <see cref="ApiRequestDispatcher"/>: unknown routes are 404 ENDPOINT_NOT_FOUND, a wrong method is 405, bad input is 400.
/// </summary>
internal sealed class MlflowApiRouter
{
    private readonly Dictionary<string, MlflowEndpoint> _routes = new(StringComparer.Ordinal);
    private readonly ApiRequestDispatcher _dispatcher;

    public MlflowApiRouter(ExperimentHandlers experiments, RunHandlers runs, MetricHandlers metrics, ArtifactListHandlers artifacts, ApiRequestDispatcher dispatcher)
    {
        ArgumentNullException.ThrowIfNull(experiments);
        ArgumentNullException.ThrowIfNull(runs);
        ArgumentNullException.ThrowIfNull(metrics);
        ArgumentNullException.ThrowIfNull(artifacts);
        ArgumentNullException.ThrowIfNull(dispatcher);

        experiments.Register(_routes);
        runs.Register(_routes);
        metrics.Register(_routes);
        artifacts.Register(_routes);
        _dispatcher = dispatcher;
    }

    public Task HandleAsync(HttpContext context)
    {
        var path = context.Request.RouteValues["path"] as string ?? string.Empty;
        if (!_routes.TryGetValue(path.TrimEnd('/'), out var endpoint))
        {
            return WriteEndpointNotFoundAsync(context);
        }

        if (!endpoint.Methods.Contains(context.Request.Method, StringComparer.OrdinalIgnoreCase))
        {
            return ApiRequestDispatcher.WriteMethodNotAllowedAsync(context, endpoint.Methods);
        }

        return _dispatcher.InvokeAsync(context, endpoint.MaxBodyBytes, endpoint.Handler);
    }

    /// <summary>Writes 404 ENDPOINT_NOT_FOUND, which MLflow's client needs to fall back to other routes.</summary>
    public static Task WriteEndpointNotFoundAsync(HttpContext context) =>
        JsonResults.WriteErrorAsync(context, ErrorCodes.EndpointNotFound,
            $"No endpoint {context.Request.Method} {context.Request.Path} exists on this tracking server.");
}
