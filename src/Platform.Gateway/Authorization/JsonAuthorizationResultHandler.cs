using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Authorization.Policy;
using Platform.Gateway.Authentication;
using Platform.Gateway.Hosting;

namespace Platform.Gateway.Authorization;

/// <summary>
/// Responds to failed authorization with 401 or 403 and an MLflow-style JSON body instead of a redirect,
/// because every caller of the gateway is an API client.
/// </summary>
internal sealed class JsonAuthorizationResultHandler : IAuthorizationMiddlewareResultHandler
{
    private const string MissingCredentials =
        "Missing credentials: send 'Authorization: Bearer <token>' with a platform token (labctl token create) or an ID token (labctl token print).";

    public async Task HandleAsync(RequestDelegate next, HttpContext context, AuthorizationPolicy policy, PolicyAuthorizationResult authorizeResult)
    {
        if (authorizeResult.Succeeded)
        {
            await next(context);
            return;
        }

        if (authorizeResult.Challenged)
        {
            var failure = context.Items[GatewayAuthenticationHandler.FailureItemKey] as string;
            context.Response.Headers.WWWAuthenticate = "Bearer realm=\"labplatform\"";
            await MlflowError.WriteAsync(context, StatusCodes.Status401Unauthorized, MlflowError.Unauthenticated, failure ?? MissingCredentials);
            return;
        }

        var notFound = authorizeResult.AuthorizationFailure?.FailureReasons.OfType<TenantNotFoundReason>().FirstOrDefault();
        if (notFound is not null)
        {
            await MlflowError.WriteAsync(context, StatusCodes.Status404NotFound, MlflowError.ResourceDoesNotExist, notFound.Message);
            return;
        }

        var reasons = authorizeResult.AuthorizationFailure?.FailureReasons.Select(r => r.Message).ToList() ?? [];
        var message = reasons.Count > 0 ? string.Join(" ", reasons) : "Permission denied.";
        await MlflowError.WriteAsync(context, StatusCodes.Status403Forbidden, MlflowError.PermissionDenied, message);
    }
}
