namespace Platform.Gateway.Tokens;

/// <summary>A platform access token's stored record; the token itself is never stored, only its SHA-256 hash.</summary>
/// <param name="Id">Public identifier used to list and revoke the token.</param>
/// <param name="UserEmail">The user the token authenticates, lowercase.</param>
/// <param name="Tenant">When set, the only tenant the token may be used for.</param>
/// <param name="Description">Free text shown in listings.</param>
/// <param name="CreatedAt">Creation time (UTC).</param>
/// <param name="ExpiresAt">Expiry time (UTC), or null for no expiry.</param>
/// <param name="LastUsedAt">Time of the last accepted request, updated at most once a minute.</param>
/// <param name="RevokedAt">Revocation time, or null while the token is active.</param>
public sealed record AccessToken(
    string Id,
    string UserEmail,
    string? Tenant,
    string? Description,
    DateTimeOffset CreatedAt,
    DateTimeOffset? ExpiresAt,
    DateTimeOffset? LastUsedAt,
    DateTimeOffset? RevokedAt);
