namespace Platform.Gateway.Authentication;

/// <summary>An authenticated caller.</summary>
/// <param name="Email">The caller's email, lowercase; sent to tracking servers as <c>X-LabPlatform-User</c>.</param>
/// <param name="Method">How the caller authenticated: <c>iap</c>, <c>oidc</c>, <c>platform-token</c> or <c>admin-token</c>.</param>
/// <param name="TenantScope">For a tenant-scoped platform token, the only tenant it may reach.</param>
public sealed record GatewayIdentity(string Email, string Method, string? TenantScope);
