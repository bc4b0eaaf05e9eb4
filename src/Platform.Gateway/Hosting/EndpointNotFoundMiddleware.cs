namespace Platform.Gateway.Hosting;

/// <summary>
/// Writes an MLflow-style <c>ENDPOINT_NOT_FOUND</c> body into the empty 404 that ASP.NET Core returns
/// for a request that matched no endpoint. The message names the path and the prefix of tenant servers.
/// </summary>
/// <remarks>
/// Only responses without a matched endpoint are changed, so a tenant server's own 404 passes
/// through as it is, and a wrong method on a known path keeps its 405.
/// </remarks>
internal sealed class EndpointNotFoundMiddleware
{
    private readonly RequestDelegate _next;

    public EndpointNotFoundMiddleware(RequestDelegate next)
    {
        ArgumentNullException.ThrowIfNull(next);
        _next = next;
    }

    public async Task InvokeAsync(HttpContext context)
    {
        await _next(context);

        if (context.Response.StatusCode != StatusCodes.Status404NotFound || context.Response.HasStarted || context.GetEndpoint() is not null)
        {
            return;
        }

        var path = context.Request.PathBase.Add(context.Request.Path).Value;
        var message = $"Path '{path}' not found on the gateway. Tenant tracking servers are under /u/<tenant>/ " +
            "(for example /u/<tenant>/api/2.0/mlflow/experiments/search), and the admin API is under /admin/v1/.";
        await MlflowError.WriteAsync(context, StatusCodes.Status404NotFound, MlflowError.EndpointNotFound, message);
    }
}
