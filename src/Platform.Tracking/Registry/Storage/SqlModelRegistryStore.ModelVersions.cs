using System.Data.Common;
using System.Globalization;
using Platform.Tracking.Api;
using Platform.Tracking.Model;
using Platform.Tracking.Registry.Model;
using Platform.Tracking.Storage.Sql;

namespace Platform.Tracking.Registry.Storage;

internal sealed partial class SqlModelRegistryStore
{
    public async Task<ModelVersion> CreateModelVersionAsync(NewModelVersion version, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(version);

        var now = Now();
        long number;
        await using var connection = await _dialect.OpenConnectionAsync(cancellationToken);
        await using (var transaction = await _dialect.BeginWriteTransactionAsync(connection, cancellationToken))
        {
            // Touching the model first locks its row, so two concurrent creates cannot pick the same number.
            await TouchModelAsync(connection, transaction, version.Name, now, cancellationToken);
            await using (var next = connection.CreateCommand(transaction, "SELECT COALESCE(MAX(version), 0) + 1 FROM model_versions WHERE name = @name"))
            {
                next.Add("@name", version.Name);
                number = Convert.ToInt64(await next.ExecuteScalarAsync(cancellationToken), CultureInfo.InvariantCulture);
            }

            await ExecuteAsync(connection, transaction,
                "INSERT INTO model_versions (name, version, creation_time, last_updated_time, description, user_id, current_stage, source, " +
                "storage_location, run_id, run_link, status, status_message, model_id) " +
                "VALUES (@name, @version, @now, @now, @description, @user, @stage, @source, @location, @run, @link, @status, NULL, @model)",
                cancellationToken,
                ("@name", version.Name),
                ("@version", number),
                ("@now", now),
                ("@description", version.Description),
                ("@user", version.UserId),
                ("@stage", ModelVersionStages.None),
                ("@source", version.Source),
                ("@location", version.StorageLocation),
                ("@run", version.RunId),
                ("@link", version.RunLink),
                ("@status", ModelVersionStatus.Ready),
                ("@model", version.ModelId));
            foreach (var tag in LastWins(version.Tags))
            {
                await UpsertVersionTagAsync(connection, transaction, version.Name, number, tag, cancellationToken);
            }

            await transaction.CommitAsync(cancellationToken);
        }

        return await GetVersionAsync(connection, version.Name, number, cancellationToken);
    }

    public async Task<ModelVersion> GetModelVersionAsync(string name, long version, CancellationToken cancellationToken)
    {
        await using var connection = await _dialect.OpenConnectionAsync(cancellationToken);
        return await GetVersionAsync(connection, name, version, cancellationToken);
    }

    public async Task<ModelVersion> UpdateModelVersionAsync(string name, long version, string? description, CancellationToken cancellationToken)
    {
        await using var connection = await _dialect.OpenConnectionAsync(cancellationToken);
        await using (var transaction = await _dialect.BeginWriteTransactionAsync(connection, cancellationToken))
        {
            var updated = await ExecuteAsync(connection, transaction,
                $"UPDATE model_versions SET description = @description, last_updated_time = @now WHERE name = @name AND version = @version AND current_stage <> '{ModelVersionStages.DeletedInternal}'",
                cancellationToken, ("@description", description), ("@now", Now()), ("@name", name), ("@version", version));
            if (updated == 0)
            {
                throw VersionNotFound(name, version);
            }

            await transaction.CommitAsync(cancellationToken);
        }

        return await GetVersionAsync(connection, name, version, cancellationToken);
    }

    public async Task DeleteModelVersionAsync(string name, long version, CancellationToken cancellationToken)
    {
        var now = Now();
        await using var connection = await _dialect.OpenConnectionAsync(cancellationToken);
        await using var transaction = await _dialect.BeginWriteTransactionAsync(connection, cancellationToken);
        await RequireVersionAsync(connection, transaction, name, version, cancellationToken);
        await TouchModelAsync(connection, transaction, name, now, cancellationToken);
        await ExecuteAsync(connection, transaction, "DELETE FROM registered_model_aliases WHERE name = @name AND version = @version",
            cancellationToken, ("@name", name), ("@version", version));
        await ExecuteAsync(connection, transaction, "DELETE FROM model_version_tags WHERE name = @name AND version = @version",
            cancellationToken, ("@name", name), ("@version", version));

        // The row stays, hidden, so MAX(version) never hands the number out again; its user-given text is cleared.
        await ExecuteAsync(connection, transaction,
            "UPDATE model_versions SET current_stage = @stage, last_updated_time = @now, description = NULL, user_id = NULL, " +
            "run_link = NULL, status_message = NULL WHERE name = @name AND version = @version",
            cancellationToken, ("@stage", ModelVersionStages.DeletedInternal), ("@now", now), ("@name", name), ("@version", version));
        await transaction.CommitAsync(cancellationToken);
    }

    public async Task<ModelVersion> TransitionModelVersionStageAsync(string name, long version, string stage, bool archiveExistingVersions, CancellationToken cancellationToken)
    {
        if (archiveExistingVersions && !ModelVersionStages.IsActive(stage))
        {
            throw TrackingException.InvalidParameter(
                $"Model version transition cannot archive existing model versions because '{stage}' is not an Active stage. " +
                $"Valid stages are {ModelVersionStages.Staging}, {ModelVersionStages.Production}. Send archive_existing_versions=false.");
        }

        var now = Now();
        await using var connection = await _dialect.OpenConnectionAsync(cancellationToken);
        await using (var transaction = await _dialect.BeginWriteTransactionAsync(connection, cancellationToken))
        {
            await RequireVersionAsync(connection, transaction, name, version, cancellationToken);
            await TouchModelAsync(connection, transaction, name, now, cancellationToken);
            if (archiveExistingVersions)
            {
                await ExecuteAsync(connection, transaction,
                    "UPDATE model_versions SET current_stage = @archived, last_updated_time = @now " +
                    "WHERE name = @name AND current_stage = @stage AND version <> @version",
                    cancellationToken, ("@archived", ModelVersionStages.Archived), ("@now", now), ("@name", name), ("@stage", stage), ("@version", version));
            }

            await ExecuteAsync(connection, transaction,
                "UPDATE model_versions SET current_stage = @stage, last_updated_time = @now WHERE name = @name AND version = @version",
                cancellationToken, ("@stage", stage), ("@now", now), ("@name", name), ("@version", version));
            await transaction.CommitAsync(cancellationToken);
        }

        return await GetVersionAsync(connection, name, version, cancellationToken);
    }

    public async Task SetModelVersionTagAsync(string name, long version, KeyValue tag, CancellationToken cancellationToken)
    {
        await using var connection = await _dialect.OpenConnectionAsync(cancellationToken);
        await using var transaction = await _dialect.BeginWriteTransactionAsync(connection, cancellationToken);
        await RequireModelAsync(connection, transaction, name, cancellationToken);
        await RequireVersionAsync(connection, transaction, name, version, cancellationToken);
        await UpsertVersionTagAsync(connection, transaction, name, version, tag, cancellationToken);
        await transaction.CommitAsync(cancellationToken);
    }

    public async Task DeleteModelVersionTagAsync(string name, long version, string key, CancellationToken cancellationToken)
    {
        await using var connection = await _dialect.OpenConnectionAsync(cancellationToken);
        await using var transaction = await _dialect.BeginWriteTransactionAsync(connection, cancellationToken);
        await RequireModelAsync(connection, transaction, name, cancellationToken);
        await RequireVersionAsync(connection, transaction, name, version, cancellationToken);
        await ExecuteAsync(connection, transaction, "DELETE FROM model_version_tags WHERE name = @name AND version = @version AND key = @key",
            cancellationToken, ("@name", name), ("@version", version), ("@key", key));
        await transaction.CommitAsync(cancellationToken);
    }

    private async Task<ModelVersion> GetVersionAsync(DbConnection connection, string name, long version, CancellationToken cancellationToken)
    {
        await using var command = connection.CreateCommand(null,
            $"SELECT {VersionColumns} FROM model_versions mv WHERE mv.name = @name AND mv.version = @version AND {NotDeleted}");
        command.Add("@name", name);
        command.Add("@version", version);
        var versions = await ReadVersionsAsync(connection, command, 1, cancellationToken);
        if (versions.Count > 0)
        {
            return versions[0];
        }

        await RequireModelAsync(connection, null, name, cancellationToken);
        throw VersionNotFound(name, version);
    }

    private static Task<int> UpsertVersionTagAsync(DbConnection connection, DbTransaction transaction, string name, long version, KeyValue tag, CancellationToken cancellationToken) =>
        ExecuteAsync(connection, transaction,
            "INSERT INTO model_version_tags (name, version, key, value) VALUES (@name, @version, @key, @value) " +
            "ON CONFLICT (name, version, key) DO UPDATE SET value = excluded.value",
            cancellationToken, ("@name", name), ("@version", version), ("@key", tag.Key), ("@value", tag.Value));
}
