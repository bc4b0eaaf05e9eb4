using Microsoft.AspNetCore.Authorization;

namespace Platform.Gateway.Authorization;

/// <summary>Failure reason for a route whose tenant was deleted, returned as 404 rather than 403.</summary>
internal sealed class TenantNotFoundReason(IAuthorizationHandler handler, string tenant)
    : AuthorizationFailureReason(handler, $"Tenant '{tenant}' does not exist.");
