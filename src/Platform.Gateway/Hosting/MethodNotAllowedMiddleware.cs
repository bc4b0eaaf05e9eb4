namespace Platform.Gateway.Hosting;

/// <summary>
/// Writes an MLflow-style <c>BAD_REQUEST</c> body into the empty 405 that ASP.NET Core routing
/// returns when a path exists but not for the request's method, naming the method and the path.
/// </summary>
internal sealed class MethodNotAllowedMiddleware
{
    private readonly RequestDelegate _next;

    public MethodNotAllowedMiddleware(RequestDelegate next)
    {
        ArgumentNullException.ThrowIfNull(next);
        _next = next;
    }

    public async Task InvokeAsync(HttpContext context)
    {
        await _next(context);

        if (context.Response.StatusCode != StatusCodes.Status405MethodNotAllowed || context.Response.HasStarted ||
            !context.Request.Path.StartsWithSegments("/admin", StringComparison.Ordinal))
        {
            return;
        }

        var path = context.Request.PathBase.Add(context.Request.Path).Value;
        var allowed = context.Response.Headers.Allow.ToString();
        var message = $"Method {context.Request.Method} is not allowed on '{path}'." + (allowed.Length > 0 ? $" Allowed methods: {allowed}." : "");
        await MlflowError.WriteAsync(context, StatusCodes.Status405MethodNotAllowed, MlflowError.BadRequest, message);
    }
}
