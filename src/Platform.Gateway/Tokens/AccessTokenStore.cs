using System.Collections.Concurrent;
using System.Globalization;
using Platform.Gateway.Tenants;

namespace Platform.Gateway.Tokens;

/// <summary>
/// Platform access tokens: rows in <see cref="GatewayDatabase"/> keyed by SHA-256 hash, mirrored in
/// memory so validating a request costs no database read.
/// </summary>
/// <remarks>
/// NOTE: like <see cref="TenantStore"/>, the in-memory copy only reflects writes made through this
/// gateway process.
/// </remarks>
public sealed class AccessTokenStore
{
    // Writing last_used_at on every request would add a database write to each proxied call.
    private static readonly TimeSpan LastUsedResolution = TimeSpan.FromMinutes(1);

    private readonly GatewayDatabase _database;
    private readonly TimeProvider _time;
    private readonly ConcurrentDictionary<string, AccessToken> _byHash = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, string> _hashById = new(StringComparer.Ordinal);

    public AccessTokenStore(GatewayDatabase database, TimeProvider time)
    {
        ArgumentNullException.ThrowIfNull(database);
        ArgumentNullException.ThrowIfNull(time);

        _database = database;
        _time = time;
    }

    /// <summary>Reads every token record into memory.</summary>
    public async Task LoadAsync(CancellationToken cancellationToken)
    {
        await using var connection = await _database.OpenAsync(cancellationToken);
        await using var command = connection.CreateCommand();
        command.CommandText = "SELECT id, token_hash, user_email, tenant, description, created_at, expires_at, last_used_at, revoked_at FROM access_tokens";
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            var token = new AccessToken(
                reader.GetString(0),
                reader.GetString(2),
                reader.IsDBNull(3) ? null : reader.GetString(3),
                reader.IsDBNull(4) ? null : reader.GetString(4),
                ParseTime(reader.GetString(5)),
                reader.IsDBNull(6) ? null : ParseTime(reader.GetString(6)),
                reader.IsDBNull(7) ? null : ParseTime(reader.GetString(7)),
                reader.IsDBNull(8) ? null : ParseTime(reader.GetString(8)));
            var hash = reader.GetString(1);
            _byHash[hash] = token;
            _hashById[token.Id] = hash;
        }
    }

    /// <summary>Creates a token and returns its record and the secret, which is shown to the caller once and never stored.</summary>
    public async Task<(AccessToken Token, string Secret)> CreateAsync(
        string userEmail, string? tenant, string? description, DateTimeOffset? expiresAt, CancellationToken cancellationToken)
    {
        var secret = AccessTokenFormat.Generate(AccessTokenFormat.AccessTokenPrefix);
        var hash = AccessTokenFormat.Hash(secret);
        var token = new AccessToken(
            AccessTokenFormat.GenerateId(), userEmail.ToLowerInvariant(), tenant, description, _time.GetUtcNow(), expiresAt, null, null);

        await using var connection = await _database.OpenAsync(cancellationToken);
        await using var command = connection.CreateCommand();
        command.CommandText = """
            INSERT INTO access_tokens (id, token_hash, user_email, tenant, description, created_at, expires_at)
            VALUES ($id, $hash, $user, $tenant, $description, $created, $expires)
            """;
        command.Parameters.AddWithValue("$id", token.Id);
        command.Parameters.AddWithValue("$hash", hash);
        command.Parameters.AddWithValue("$user", token.UserEmail);
        command.Parameters.AddWithValue("$tenant", (object?)tenant ?? DBNull.Value);
        command.Parameters.AddWithValue("$description", (object?)description ?? DBNull.Value);
        command.Parameters.AddWithValue("$created", FormatTime(token.CreatedAt));
        command.Parameters.AddWithValue("$expires", expiresAt is { } e ? FormatTime(e) : DBNull.Value);
        await command.ExecuteNonQueryAsync(cancellationToken);

        _byHash[hash] = token;
        _hashById[token.Id] = hash;
        return (token, secret);
    }

    /// <summary>All token records, newest first (revoked ones included, so listings show them).</summary>
    public IReadOnlyList<AccessToken> List() => [.. _byHash.Values.OrderByDescending(t => t.CreatedAt)];

    /// <summary>Finds the record of a presented secret, active or not; null when the secret is unknown.</summary>
    public AccessToken? Find(string secret) => _byHash.GetValueOrDefault(AccessTokenFormat.Hash(secret));

    /// <summary>Marks a token revoked. Returns null when no token has that id.</summary>
    public async Task<AccessToken?> RevokeAsync(string id, CancellationToken cancellationToken)
    {
        if (!_hashById.TryGetValue(id, out var hash) || !_byHash.TryGetValue(hash, out var token))
        {
            return null;
        }

        if (token.RevokedAt is not null)
        {
            return token;
        }

        var revoked = token with { RevokedAt = _time.GetUtcNow() };
        await using var connection = await _database.OpenAsync(cancellationToken);
        await using var command = connection.CreateCommand();
        command.CommandText = "UPDATE access_tokens SET revoked_at = $revoked WHERE id = $id";
        command.Parameters.AddWithValue("$revoked", FormatTime(revoked.RevokedAt!.Value));
        command.Parameters.AddWithValue("$id", id);
        await command.ExecuteNonQueryAsync(cancellationToken);

        _byHash[hash] = revoked;
        return revoked;
    }

    /// <summary>Revokes every active token scoped to <paramref name="tenant"/>, so a later tenant of the same name does not inherit them.</summary>
    public async Task<int> RevokeForTenantAsync(string tenant, CancellationToken cancellationToken)
    {
        var count = 0;
        foreach (var token in List().Where(t => t.Tenant == tenant && t.RevokedAt is null))
        {
            await RevokeAsync(token.Id, cancellationToken);
            count++;
        }

        return count;
    }

    /// <summary>Records that the token was just used, at most once per minute per token.</summary>
    public async Task TouchAsync(string secret, CancellationToken cancellationToken)
    {
        var hash = AccessTokenFormat.Hash(secret);
        if (!_byHash.TryGetValue(hash, out var token))
        {
            return;
        }

        var now = _time.GetUtcNow();
        if (token.LastUsedAt is { } last && now - last < LastUsedResolution)
        {
            return;
        }

        // A concurrent request may win the swap; then it writes the time and this one skips.
        if (!_byHash.TryUpdate(hash, token with { LastUsedAt = now }, token))
        {
            return;
        }

        await using var connection = await _database.OpenAsync(cancellationToken);
        await using var command = connection.CreateCommand();
        command.CommandText = "UPDATE access_tokens SET last_used_at = $used WHERE id = $id";
        command.Parameters.AddWithValue("$used", FormatTime(now));
        command.Parameters.AddWithValue("$id", token.Id);
        await command.ExecuteNonQueryAsync(cancellationToken);
    }

    private static string FormatTime(DateTimeOffset value) => value.ToString("O", CultureInfo.InvariantCulture);

    private static DateTimeOffset ParseTime(string value) => DateTimeOffset.Parse(value, CultureInfo.InvariantCulture);
}
