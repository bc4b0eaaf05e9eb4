using System.Data.Common;
using Platform.Tracking.Api;
using Platform.Tracking.Model;
using Platform.Tracking.Registry.Model;
using Platform.Tracking.Storage.Sql;

namespace Platform.Tracking.Registry.Storage;

internal sealed partial class SqlModelRegistryStore
{
    private const string ModelColumns = "rm.name, rm.creation_time, rm.last_updated_time, rm.description";

    public async Task<RegisteredModel> CreateRegisteredModelAsync(string name, string? description, IReadOnlyList<KeyValue> tags, CancellationToken cancellationToken)
    {
        var now = Now();
        await using var connection = await _dialect.OpenConnectionAsync(cancellationToken);
        await using (var transaction = await _dialect.BeginWriteTransactionAsync(connection, cancellationToken))
        {
            try
            {
                await ExecuteAsync(connection, transaction,
                    "INSERT INTO registered_models (name, creation_time, last_updated_time, description) VALUES (@name, @now, @now, @description)",
                    cancellationToken, ("@name", name), ("@now", now), ("@description", description));
            }
            catch (DbException ex) when (_dialect.IsUniqueViolation(ex))
            {
                throw ModelAlreadyExists(name);
            }

            foreach (var tag in LastWins(tags))
            {
                await UpsertModelTagAsync(connection, transaction, name, tag, cancellationToken);
            }

            await transaction.CommitAsync(cancellationToken);
        }

        return await GetModelAsync(connection, name, cancellationToken);
    }

    public async Task<RegisteredModel> GetRegisteredModelAsync(string name, CancellationToken cancellationToken)
    {
        await using var connection = await _dialect.OpenConnectionAsync(cancellationToken);
        return await GetModelAsync(connection, name, cancellationToken);
    }

    public async Task<RegisteredModel> RenameRegisteredModelAsync(string name, string newName, CancellationToken cancellationToken)
    {
        await using var connection = await _dialect.OpenConnectionAsync(cancellationToken);
        await using (var transaction = await _dialect.BeginWriteTransactionAsync(connection, cancellationToken))
        {
            int updated;
            try
            {
                // ON UPDATE CASCADE carries the new name to versions, tags and aliases.
                updated = await ExecuteAsync(connection, transaction,
                    "UPDATE registered_models SET name = @newName, last_updated_time = @now WHERE name = @name",
                    cancellationToken, ("@newName", newName), ("@now", Now()), ("@name", name));
            }
            catch (DbException ex) when (_dialect.IsUniqueViolation(ex))
            {
                throw ModelAlreadyExists(newName);
            }

            if (updated == 0)
            {
                throw ModelNotFound(name);
            }

            await transaction.CommitAsync(cancellationToken);
        }

        return await GetModelAsync(connection, newName, cancellationToken);
    }

    public async Task<RegisteredModel> UpdateRegisteredModelAsync(string name, string? description, CancellationToken cancellationToken)
    {
        await using var connection = await _dialect.OpenConnectionAsync(cancellationToken);
        await using (var transaction = await _dialect.BeginWriteTransactionAsync(connection, cancellationToken))
        {
            var updated = await ExecuteAsync(connection, transaction,
                "UPDATE registered_models SET description = @description, last_updated_time = @now WHERE name = @name",
                cancellationToken, ("@description", description), ("@now", Now()), ("@name", name));
            if (updated == 0)
            {
                throw ModelNotFound(name);
            }

            await transaction.CommitAsync(cancellationToken);
        }

        return await GetModelAsync(connection, name, cancellationToken);
    }

    public async Task DeleteRegisteredModelAsync(string name, CancellationToken cancellationToken)
    {
        await using var connection = await _dialect.OpenConnectionAsync(cancellationToken);
        await using var transaction = await _dialect.BeginWriteTransactionAsync(connection, cancellationToken);

        // ON DELETE CASCADE removes the versions, and through them their tags and aliases.
        var deleted = await ExecuteAsync(connection, transaction, "DELETE FROM registered_models WHERE name = @name", cancellationToken, ("@name", name));
        if (deleted == 0)
        {
            throw ModelNotFound(name);
        }

        await transaction.CommitAsync(cancellationToken);
    }

    public async Task SetRegisteredModelTagAsync(string name, KeyValue tag, CancellationToken cancellationToken)
    {
        await using var connection = await _dialect.OpenConnectionAsync(cancellationToken);
        await using var transaction = await _dialect.BeginWriteTransactionAsync(connection, cancellationToken);
        await RequireModelAsync(connection, transaction, name, cancellationToken);
        await UpsertModelTagAsync(connection, transaction, name, tag, cancellationToken);
        await transaction.CommitAsync(cancellationToken);
    }

    public async Task DeleteRegisteredModelTagAsync(string name, string key, CancellationToken cancellationToken)
    {
        await using var connection = await _dialect.OpenConnectionAsync(cancellationToken);
        await using var transaction = await _dialect.BeginWriteTransactionAsync(connection, cancellationToken);
        await RequireModelAsync(connection, transaction, name, cancellationToken);
        await ExecuteAsync(connection, transaction, "DELETE FROM registered_model_tags WHERE name = @name AND key = @key",
            cancellationToken, ("@name", name), ("@key", key));
        await transaction.CommitAsync(cancellationToken);
    }

    public async Task SetAliasAsync(string name, string alias, long version, CancellationToken cancellationToken)
    {
        await using var connection = await _dialect.OpenConnectionAsync(cancellationToken);
        await using var transaction = await _dialect.BeginWriteTransactionAsync(connection, cancellationToken);
        await RequireModelAsync(connection, transaction, name, cancellationToken);
        await RequireVersionAsync(connection, transaction, name, version, cancellationToken);
        await ExecuteAsync(connection, transaction,
            "INSERT INTO registered_model_aliases (name, alias, version) VALUES (@name, @alias, @version) " +
            "ON CONFLICT (name, alias) DO UPDATE SET version = excluded.version",
            cancellationToken, ("@name", name), ("@alias", alias), ("@version", version));
        await transaction.CommitAsync(cancellationToken);
    }

    public async Task DeleteAliasAsync(string name, string alias, CancellationToken cancellationToken)
    {
        await using var connection = await _dialect.OpenConnectionAsync(cancellationToken);
        await using var transaction = await _dialect.BeginWriteTransactionAsync(connection, cancellationToken);
        await RequireModelAsync(connection, transaction, name, cancellationToken);
        await ExecuteAsync(connection, transaction, "DELETE FROM registered_model_aliases WHERE name = @name AND alias = @alias",
            cancellationToken, ("@name", name), ("@alias", alias));
        await transaction.CommitAsync(cancellationToken);
    }

    public async Task<ModelVersion> GetModelVersionByAliasAsync(string name, string alias, CancellationToken cancellationToken)
    {
        await using var connection = await _dialect.OpenConnectionAsync(cancellationToken);
        await RequireModelAsync(connection, null, name, cancellationToken);
        await using var command = connection.CreateCommand(null,
            $"SELECT {VersionColumns} FROM registered_model_aliases a JOIN model_versions mv ON mv.name = a.name AND mv.version = a.version " +
            $"WHERE a.name = @name AND a.alias = @alias AND {NotDeleted}");
        command.Add("@name", name);
        command.Add("@alias", alias);
        var versions = await ReadVersionsAsync(connection, command, 1, cancellationToken);
        return versions.Count > 0
            ? versions[0]
            : throw TrackingException.NotFound($"Registered model alias {alias} not found for model {name}. Set it with POST registered-models/alias first.");
    }

    public async Task<IReadOnlyList<ModelVersion>> GetLatestVersionsAsync(string name, IReadOnlyList<string> stages, CancellationToken cancellationToken)
    {
        await using var connection = await _dialect.OpenConnectionAsync(cancellationToken);
        var model = await GetModelAsync(connection, name, cancellationToken);
        return stages.Count == 0
            ? model.LatestVersions
            : model.LatestVersions.Where(version => stages.Contains(version.CurrentStage, StringComparer.Ordinal)).ToList();
    }

    private async Task<RegisteredModel> GetModelAsync(DbConnection connection, string name, CancellationToken cancellationToken)
    {
        ModelRow? row = null;
        await using (var command = connection.CreateCommand(null, $"SELECT {ModelColumns} FROM registered_models rm WHERE rm.name = @name"))
        {
            command.Add("@name", name);
            await using var reader = await command.ExecuteReaderAsync(cancellationToken);
            if (await reader.ReadAsync(cancellationToken))
            {
                row = ReadModelRow(reader);
            }
        }

        if (row is null)
        {
            throw ModelNotFound(name);
        }

        return (await LoadModelsAsync(connection, [row], cancellationToken))[0];
    }

    private static Task<int> UpsertModelTagAsync(DbConnection connection, DbTransaction transaction, string name, KeyValue tag, CancellationToken cancellationToken) =>
        ExecuteAsync(connection, transaction,
            "INSERT INTO registered_model_tags (name, key, value) VALUES (@name, @key, @value) " +
            "ON CONFLICT (name, key) DO UPDATE SET value = excluded.value",
            cancellationToken, ("@name", name), ("@key", tag.Key), ("@value", tag.Value));

    private static TrackingException ModelAlreadyExists(string name) =>
        TrackingException.AlreadyExists($"Registered Model (name={name}) already exists. Choose another name or add a version to the existing model.");
}
