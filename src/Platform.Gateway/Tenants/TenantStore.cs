using System.Collections.Immutable;
using System.Globalization;
using System.Text.Json;
using Microsoft.Data.Sqlite;

namespace Platform.Gateway.Tenants;

/// <summary>
/// Tenant registry: rows in <see cref="GatewayDatabase"/> plus an in-memory snapshot that request
/// authorization reads without touching the database.
/// </summary>
/// <remarks>
/// NOTE: the snapshot is refreshed only by writes through this instance, so two gateway replicas
/// sharing one database would not see each other's changes until restart.
/// </remarks>
public sealed class TenantStore
{
    private readonly GatewayDatabase _database;
    private readonly TimeProvider _time;
    private readonly SemaphoreSlim _writeLock = new(1, 1);
    private volatile ImmutableDictionary<string, Tenant> _snapshot = ImmutableDictionary<string, Tenant>.Empty.WithComparers(StringComparer.Ordinal);

    public TenantStore(GatewayDatabase database, TimeProvider time)
    {
        ArgumentNullException.ThrowIfNull(database);
        ArgumentNullException.ThrowIfNull(time);

        _database = database;
        _time = time;
    }

    /// <summary>Raised after a tenant was created or deleted, with the tenant name.</summary>
    public event Action<string>? Changed;

    /// <summary>Current tenants, ordered by name.</summary>
    public IReadOnlyList<Tenant> List() => [.. _snapshot.Values.OrderBy(t => t.Name, StringComparer.Ordinal)];

    /// <summary>Finds a tenant by its exact name.</summary>
    public Tenant? Find(string name) => _snapshot.GetValueOrDefault(name);

    /// <summary>Reads all tenants from the database into the snapshot.</summary>
    public async Task LoadAsync(CancellationToken cancellationToken)
    {
        await using var connection = await _database.OpenAsync(cancellationToken);
        await using var command = connection.CreateCommand();
        command.CommandText = "SELECT name, owner, collaborators, destination, created_at FROM tenants";
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);

        var builder = ImmutableDictionary.CreateBuilder<string, Tenant>(StringComparer.Ordinal);
        while (await reader.ReadAsync(cancellationToken))
        {
            var tenant = new Tenant(
                reader.GetString(0),
                reader.GetString(1),
                JsonSerializer.Deserialize<List<string>>(reader.GetString(2)) ?? [],
                reader.IsDBNull(3) ? null : reader.GetString(3),
                DateTimeOffset.Parse(reader.GetString(4), CultureInfo.InvariantCulture));
            builder[tenant.Name] = tenant;
        }

        _snapshot = builder.ToImmutable();
    }

    /// <summary>
    /// Inserts a tenant. Returns null when a tenant of that name already exists. The caller has
    /// validated the name and emails.
    /// </summary>
    public async Task<Tenant?> CreateAsync(string name, string owner, IEnumerable<string> collaborators, string? destination, CancellationToken cancellationToken)
    {
        var tenant = new Tenant(
            name,
            owner.ToLowerInvariant(),
            [.. collaborators.Select(c => c.ToLowerInvariant()).Distinct(StringComparer.Ordinal)],
            destination,
            _time.GetUtcNow());

        await _writeLock.WaitAsync(cancellationToken);
        try
        {
            await using var connection = await _database.OpenAsync(cancellationToken);
            await using var command = connection.CreateCommand();
            command.CommandText = """
                INSERT INTO tenants (name, owner, collaborators, destination, created_at)
                VALUES ($name, $owner, $collaborators, $destination, $created)
                """;
            command.Parameters.AddWithValue("$name", tenant.Name);
            command.Parameters.AddWithValue("$owner", tenant.Owner);
            command.Parameters.AddWithValue("$collaborators", JsonSerializer.Serialize(tenant.Collaborators));
            command.Parameters.AddWithValue("$destination", (object?)tenant.Destination ?? DBNull.Value);
            command.Parameters.AddWithValue("$created", tenant.CreatedAt.ToString("O", CultureInfo.InvariantCulture));
            try
            {
                await command.ExecuteNonQueryAsync(cancellationToken);
            }
            catch (SqliteException ex) when (ex.SqliteErrorCode == 19)
            {
                // SQLITE_CONSTRAINT: the primary key already exists.
                return null;
            }

            _snapshot = _snapshot.SetItem(tenant.Name, tenant);
        }
        finally
        {
            _writeLock.Release();
        }

        Changed?.Invoke(tenant.Name);
        return tenant;
    }

    /// <summary>
    /// Adds and removes collaborators of a tenant in one write. The store's write lock serializes
    /// updates made through this instance, so concurrent updates do not overwrite each other. Adding a
    /// collaborator that is already one changes nothing. Returns null when the tenant does not exist.
    /// Nothing is written when an email in <paramref name="remove"/> is not a collaborator (the result
    /// lists those emails), or when the update would grow the collaborators beyond
    /// <paramref name="maxCollaborators"/> (the result has <see cref="CollaboratorUpdate.OverLimit"/>
    /// set). An update that shrinks a tenant already over the limit is written. The caller validates
    /// the emails.
    /// </summary>
    /// <remarks>
    /// Authorization reads the snapshot, so the change applies from the next request on. No
    /// <see cref="Changed"/> event is raised, because collaborators affect neither routes nor servers.
    /// </remarks>
    public async Task<CollaboratorUpdate?> UpdateCollaboratorsAsync(
        string name, IEnumerable<string> add, IEnumerable<string> remove, int maxCollaborators, CancellationToken cancellationToken)
    {
        var added = add.Select(c => c.ToLowerInvariant()).Distinct(StringComparer.Ordinal).ToList();
        var removed = remove.Select(c => c.ToLowerInvariant()).ToHashSet(StringComparer.Ordinal);

        await _writeLock.WaitAsync(cancellationToken);
        try
        {
            if (Find(name) is not { } current)
            {
                return null;
            }

            var existing = current.Collaborators.ToHashSet(StringComparer.OrdinalIgnoreCase);
            var notCollaborators = removed
                .Where(email => !existing.Contains(email))
                .Order(StringComparer.Ordinal)
                .ToList();
            if (notCollaborators.Count > 0)
            {
                return new CollaboratorUpdate(current, notCollaborators, [], [], current.Collaborators.Count, OverLimit: false);
            }

            var newlyAdded = added.Where(email => !existing.Contains(email)).ToList();
            var remaining = current.Collaborators.Where(c => !removed.Contains(c.ToLowerInvariant()));
            var updated = current with { Collaborators = [.. remaining.Concat(newlyAdded).Distinct(StringComparer.OrdinalIgnoreCase)] };
            var removedNow = removed.Order(StringComparer.Ordinal).ToList();
            if (updated.Collaborators.Count > maxCollaborators && updated.Collaborators.Count > current.Collaborators.Count)
            {
                return new CollaboratorUpdate(current, [], [], [], updated.Collaborators.Count, OverLimit: true);
            }

            if (newlyAdded.Count == 0 && removedNow.Count == 0)
            {
                return new CollaboratorUpdate(current, [], [], [], current.Collaborators.Count, OverLimit: false);
            }

            await using var connection = await _database.OpenAsync(cancellationToken);
            await using var command = connection.CreateCommand();
            command.CommandText = "UPDATE tenants SET collaborators = $collaborators WHERE name = $name";
            command.Parameters.AddWithValue("$collaborators", JsonSerializer.Serialize(updated.Collaborators));
            command.Parameters.AddWithValue("$name", name);
            if (await command.ExecuteNonQueryAsync(cancellationToken) == 0)
            {
                // The snapshot still has a row that another gateway sharing this database file deleted (see the class remarks).
                return null;
            }

            _snapshot = _snapshot.SetItem(name, updated);
            return new CollaboratorUpdate(updated, [], newlyAdded, removedNow, updated.Collaborators.Count, OverLimit: false);
        }
        finally
        {
            _writeLock.Release();
        }
    }

    /// <summary>Deletes a tenant. Returns false when it did not exist.</summary>
    public async Task<bool> DeleteAsync(string name, CancellationToken cancellationToken)
    {
        await _writeLock.WaitAsync(cancellationToken);
        try
        {
            await using var connection = await _database.OpenAsync(cancellationToken);
            await using var delete = connection.CreateCommand();
            delete.CommandText = "DELETE FROM tenants WHERE name = $name";
            delete.Parameters.AddWithValue("$name", name);
            var deleted = await delete.ExecuteNonQueryAsync(cancellationToken);
            if (deleted == 0)
            {
                return false;
            }

            _snapshot = _snapshot.Remove(name);
        }
        finally
        {
            _writeLock.Release();
        }

        Changed?.Invoke(name);
        return true;
    }
}
