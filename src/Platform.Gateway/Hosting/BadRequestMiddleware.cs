namespace Platform.Gateway.Hosting;

/// <summary>Turns a malformed request (for example, invalid JSON in an admin call) into a 400 MLflow-style JSON error.</summary>
internal sealed class BadRequestMiddleware
{
    private readonly RequestDelegate _next;

    public BadRequestMiddleware(RequestDelegate next)
    {
        ArgumentNullException.ThrowIfNull(next);
        _next = next;
    }

    public async Task InvokeAsync(HttpContext context)
    {
        try
        {
            await _next(context);
        }
        catch (BadHttpRequestException ex)
        {
            await MlflowError.WriteAsync(context, ex.StatusCode, MlflowError.InvalidParameterValue, "Malformed request: " + ex.Message);
        }
    }
}
