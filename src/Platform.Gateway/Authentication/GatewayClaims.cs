using System.Security.Claims;

namespace Platform.Gateway.Authentication;

/// <summary>Claim types the gateway puts on its principal and reads back as a <see cref="GatewayIdentity"/>.</summary>
public static class GatewayClaims
{
    public const string AuthenticationType = "LabPlatform";
    public const string Email = "email";
    public const string Method = "auth_method";
    public const string TenantScope = "tenant_scope";

    /// <summary>Builds the principal for an authenticated caller.</summary>
    public static ClaimsPrincipal ToPrincipal(GatewayIdentity identity)
    {
        ArgumentNullException.ThrowIfNull(identity);

        var claims = new List<Claim> { new(Email, identity.Email), new(Method, identity.Method) };
        if (identity.TenantScope is not null)
        {
            claims.Add(new Claim(TenantScope, identity.TenantScope));
        }

        return new ClaimsPrincipal(new ClaimsIdentity(claims, AuthenticationType, Email, null));
    }

    /// <summary>Reads the caller back from a principal built by <see cref="ToPrincipal"/>; null when not authenticated.</summary>
    public static GatewayIdentity? GetGatewayIdentity(this ClaimsPrincipal principal)
    {
        ArgumentNullException.ThrowIfNull(principal);

        var email = principal.FindFirst(Email)?.Value;
        var method = principal.FindFirst(Method)?.Value;
        if (principal.Identity?.IsAuthenticated != true || email is null || method is null)
        {
            return null;
        }

        return new GatewayIdentity(email, method, principal.FindFirst(TenantScope)?.Value);
    }
}
