using Platform.Gateway.Tenants;
using Platform.Gateway.Tokens;

namespace Platform.Gateway.Admin;

/// <summary>Body of <c>POST /admin/v1/tenants</c>.</summary>
public sealed record CreateTenantRequest(string? Name, string? Owner, List<string>? Collaborators, string? Destination);

/// <summary>
/// Body of <c>PATCH /admin/v1/tenants/{name}</c>: email addresses to add to and remove from the
/// tenant's collaborators, applied together in one write.
/// </summary>
public sealed record UpdateTenantRequest(List<string>? AddCollaborators, List<string>? RemoveCollaborators);

/// <summary>
/// A tenant in admin API responses. <c>Status</c> is <c>ready</c> when requests are routed,
/// <c>starting</c> while the local runtime starts its server, and <c>no-destination</c> outside local
/// mode when neither the tenant nor <c>Gateway:DestinationTemplate</c> gives an address.
/// </summary>
public sealed record TenantResponse(string Name, string Owner, IReadOnlyList<string> Collaborators, string? Destination, DateTimeOffset CreatedAt, string Status)
{
    public static TenantResponse From(Tenant tenant, bool routed, bool local)
    {
        var status = "no-destination";
        if (routed)
        {
            status = "ready";
        }
        else if (local)
        {
            status = "starting";
        }

        return new(tenant.Name, tenant.Owner, tenant.Collaborators, tenant.Destination, tenant.CreatedAt, status);
    }
}

/// <summary>Body of <c>POST /admin/v1/tokens</c>; <c>ExpiresInSeconds</c> null means no expiry.</summary>
public sealed record CreateTokenRequest(string? User, string? Tenant, long? ExpiresInSeconds, string? Description);

/// <summary>A token record in admin API responses (never the secret).</summary>
public sealed record TokenResponse(
    string Id, string User, string? Tenant, string? Description, DateTimeOffset CreatedAt, DateTimeOffset? ExpiresAt, DateTimeOffset? LastUsedAt, DateTimeOffset? RevokedAt)
{
    public static TokenResponse From(AccessToken token) =>
        new(token.Id, token.UserEmail, token.Tenant, token.Description, token.CreatedAt, token.ExpiresAt, token.LastUsedAt, token.RevokedAt);
}

/// <summary>Response of <c>POST /admin/v1/tokens</c>: the record and the secret, which is returned only this once.</summary>
public sealed record CreateTokenResponse(TokenResponse Token, string Secret);
