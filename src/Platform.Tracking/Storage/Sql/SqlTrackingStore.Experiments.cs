using System.Data.Common;
using Platform.Tracking.Api;
using Platform.Tracking.Model;

namespace Platform.Tracking.Storage.Sql;

internal sealed partial class SqlTrackingStore
{
    private const string ExperimentColumns =
        "e.experiment_id, e.name, e.artifact_location, e.lifecycle_stage, e.creation_time, e.last_update_time";

    public async Task<string> CreateExperimentAsync(string name, string? artifactLocation, IReadOnlyList<KeyValue> tags, CancellationToken cancellationToken)
    {
        var now = Now();
        await using var connection = await _dialect.OpenConnectionAsync(cancellationToken);
        await using var transaction = await _dialect.BeginWriteTransactionAsync(connection, cancellationToken);
        long id;
        try
        {
            await using var insert = connection.CreateCommand(transaction,
                "INSERT INTO experiments (name, artifact_location, lifecycle_stage, creation_time, last_update_time) " +
                "VALUES (@name, @location, 'active', @now, @now) RETURNING experiment_id");
            insert.Add("@name", name);
            insert.Add("@location", artifactLocation ?? string.Empty);
            insert.Add("@now", now);
            id = Convert.ToInt64(await insert.ExecuteScalarAsync(cancellationToken), System.Globalization.CultureInfo.InvariantCulture);
        }
        catch (DbException ex) when (_dialect.IsUniqueViolation(ex))
        {
            throw TrackingException.AlreadyExists($"Experiment '{name}' already exists. Choose another name or use get-by-name.");
        }

        if (string.IsNullOrEmpty(artifactLocation))
        {
            await ExecuteAsync(connection, transaction, "UPDATE experiments SET artifact_location = @location WHERE experiment_id = @id",
                cancellationToken, ("@location", $"mlflow-artifacts:/{FormatId(id)}"), ("@id", id));
        }

        foreach (var tag in DeduplicateLastWins(tags))
        {
            await UpsertExperimentTagAsync(connection, transaction, id, tag, cancellationToken);
        }

        await transaction.CommitAsync(cancellationToken);
        return FormatId(id);
    }

    public async Task<Experiment> GetExperimentAsync(string experimentId, CancellationToken cancellationToken)
    {
        var id = ParseExperimentId(experimentId);
        await using var connection = await _dialect.OpenConnectionAsync(cancellationToken);
        var experiments = await QueryExperimentsAsync(connection, "e.experiment_id = @id", ("@id", id), cancellationToken);
        return experiments.Count > 0
            ? experiments[0]
            : throw TrackingException.NotFound($"No Experiment with id={experimentId} exists.");
    }

    public async Task<Experiment> GetExperimentByNameAsync(string name, CancellationToken cancellationToken)
    {
        await using var connection = await _dialect.OpenConnectionAsync(cancellationToken);
        var experiments = await QueryExperimentsAsync(connection, "e.name = @name", ("@name", name), cancellationToken);
        return experiments.Count > 0
            ? experiments[0]
            : throw TrackingException.NotFound($"Could not find experiment with name '{name}'.");
    }

    public async Task RenameExperimentAsync(string experimentId, string newName, CancellationToken cancellationToken)
    {
        var id = ParseExperimentId(experimentId);
        await using var connection = await _dialect.OpenConnectionAsync(cancellationToken);
        await using var transaction = await _dialect.BeginWriteTransactionAsync(connection, cancellationToken);
        var stage = await GetExperimentStageAsync(connection, transaction, id, experimentId, cancellationToken);
        if (stage != LifecycleStage.Active)
        {
            throw TrackingException.InvalidParameter(
                $"Cannot rename experiment {experimentId} because it is deleted. Restore it first.");
        }

        try
        {
            await ExecuteAsync(connection, transaction, "UPDATE experiments SET name = @name, last_update_time = @now WHERE experiment_id = @id",
                cancellationToken, ("@name", newName), ("@now", Now()), ("@id", id));
        }
        catch (DbException ex) when (_dialect.IsUniqueViolation(ex))
        {
            throw TrackingException.AlreadyExists($"Experiment '{newName}' already exists. Choose another name.");
        }

        await transaction.CommitAsync(cancellationToken);
    }

    public async Task SetExperimentLifecycleAsync(string experimentId, bool deleted, CancellationToken cancellationToken)
    {
        var id = ParseExperimentId(experimentId);
        var now = Now();
        await using var connection = await _dialect.OpenConnectionAsync(cancellationToken);
        await using var transaction = await _dialect.BeginWriteTransactionAsync(connection, cancellationToken);
        var stage = await GetExperimentStageAsync(connection, transaction, id, experimentId, cancellationToken);
        var target = deleted ? LifecycleStage.Deleted : LifecycleStage.Active;
        if (deleted && id == 0)
        {
            throw TrackingException.InvalidParameter("Cannot delete the default experiment '0'. It is always present.");
        }

        if (stage == target)
        {
            throw TrackingException.InvalidParameter(
                $"Cannot {(deleted ? "delete" : "restore")} experiment {experimentId} because it is already {stage}.");
        }

        await ExecuteAsync(connection, transaction,
            "UPDATE experiments SET lifecycle_stage = @stage, last_update_time = @now WHERE experiment_id = @id",
            cancellationToken, ("@stage", target), ("@now", now), ("@id", id));

        // MLflow deletes and restores an experiment's runs together with it.
        await ExecuteAsync(connection, transaction,
            "UPDATE runs SET lifecycle_stage = @stage, deleted_time = @deletedTime WHERE experiment_id = @id",
            cancellationToken, ("@stage", target), ("@deletedTime", deleted ? now : null), ("@id", id));
        await transaction.CommitAsync(cancellationToken);
    }

    public async Task SetExperimentTagAsync(string experimentId, KeyValue tag, CancellationToken cancellationToken)
    {
        var id = ParseExperimentId(experimentId);
        await using var connection = await _dialect.OpenConnectionAsync(cancellationToken);
        await using var transaction = await _dialect.BeginWriteTransactionAsync(connection, cancellationToken);
        await RequireActiveExperimentAsync(connection, transaction, id, experimentId, cancellationToken);
        await UpsertExperimentTagAsync(connection, transaction, id, tag, cancellationToken);
        await transaction.CommitAsync(cancellationToken);
    }

    public async Task DeleteExperimentTagAsync(string experimentId, string key, CancellationToken cancellationToken)
    {
        var id = ParseExperimentId(experimentId);
        await using var connection = await _dialect.OpenConnectionAsync(cancellationToken);
        await using var transaction = await _dialect.BeginWriteTransactionAsync(connection, cancellationToken);
        await RequireActiveExperimentAsync(connection, transaction, id, experimentId, cancellationToken);
        var deleted = await ExecuteAsync(connection, transaction, "DELETE FROM experiment_tags WHERE experiment_id = @id AND key = @key",
            cancellationToken, ("@id", id), ("@key", key));
        if (deleted == 0)
        {
            throw TrackingException.NotFound($"No tag with name '{key}' in experiment {experimentId}.");
        }

        await transaction.CommitAsync(cancellationToken);
    }

    private static async Task UpsertExperimentTagAsync(DbConnection connection, DbTransaction transaction, long id, KeyValue tag, CancellationToken cancellationToken) =>
        await ExecuteAsync(connection, transaction,
            "INSERT INTO experiment_tags (experiment_id, key, value) VALUES (@id, @key, @value) " +
            "ON CONFLICT (experiment_id, key) DO UPDATE SET value = excluded.value",
            cancellationToken, ("@id", id), ("@key", tag.Key), ("@value", tag.Value));

    private static async Task<string> GetExperimentStageAsync(DbConnection connection, DbTransaction? transaction, long id, string experimentId, CancellationToken cancellationToken)
    {
        await using var command = connection.CreateCommand(transaction, "SELECT lifecycle_stage FROM experiments WHERE experiment_id = @id");
        command.Add("@id", id);
        return await command.ExecuteScalarAsync(cancellationToken) as string
            ?? throw TrackingException.NotFound($"No Experiment with id={experimentId} exists.");
    }

    private static async Task RequireActiveExperimentAsync(DbConnection connection, DbTransaction transaction, long id, string experimentId, CancellationToken cancellationToken)
    {
        var stage = await GetExperimentStageAsync(connection, transaction, id, experimentId, cancellationToken);
        if (stage != LifecycleStage.Active)
        {
            throw TrackingException.InvalidParameter(
                $"The experiment {experimentId} must be in the 'active' state. Current state is {stage}.");
        }
    }

    private static async Task<List<Experiment>> QueryExperimentsAsync(DbConnection connection, string where, (string Name, object Value) parameter, CancellationToken cancellationToken)
    {
        await using var command = connection.CreateCommand(null, $"SELECT {ExperimentColumns} FROM experiments e WHERE {where}");
        command.Add(parameter.Name, parameter.Value);
        return await ReadExperimentsAsync(connection, command, cancellationToken);
    }

    /// <summary>Runs <paramref name="command"/>, which selects <see cref="ExperimentColumns"/> first, and attaches each experiment's tags.</summary>
    private static async Task<List<Experiment>> ReadExperimentsAsync(DbConnection connection, DbCommand command, CancellationToken cancellationToken)
    {
        var rows = new List<(long Id, string Name, string Location, string Stage, long Created, long Updated)>();
        await using (var reader = await command.ExecuteReaderAsync(cancellationToken))
        {
            while (await reader.ReadAsync(cancellationToken))
            {
                rows.Add((reader.GetInt64(0), reader.GetString(1), reader.GetString(2), reader.GetString(3), reader.GetInt64(4), reader.GetInt64(5)));
            }
        }

        var tags = new Dictionary<long, List<KeyValue>>();
        foreach (var chunk in rows.Chunk(500))
        {
            await using var tagCommand = connection.CreateCommand(null, string.Empty);
            var ids = string.Join(", ", chunk.Select(row => tagCommand.Bind(row.Id)));
            tagCommand.CommandText = $"SELECT experiment_id, key, value FROM experiment_tags WHERE experiment_id IN ({ids}) ORDER BY key";
            await using var reader = await tagCommand.ExecuteReaderAsync(cancellationToken);
            while (await reader.ReadAsync(cancellationToken))
            {
                var id = reader.GetInt64(0);
                if (!tags.TryGetValue(id, out var list))
                {
                    tags[id] = list = [];
                }

                list.Add(new KeyValue(reader.GetString(1), reader.GetString(2)));
            }
        }

        return rows
            .Select(row => new Experiment(FormatId(row.Id), row.Name, row.Location, row.Stage, row.Created, row.Updated,
                tags.TryGetValue(row.Id, out var list) ? list : []))
            .ToList();
    }

    /// <summary>
    /// Keeps the last entry of each key, so one upsert statement never touches a row twice. The result is sorted by
    /// key, so concurrent upserts on PostgreSQL lock rows in the same order, which avoids deadlocks between them.
    /// </summary>
    private static List<KeyValue> DeduplicateLastWins(IReadOnlyList<KeyValue> entries)
    {
        var byKey = new Dictionary<string, KeyValue>(StringComparer.Ordinal);
        foreach (var entry in entries)
        {
            byKey[entry.Key] = entry;
        }

        return byKey.Values.OrderBy(entry => entry.Key, StringComparer.Ordinal).ToList();
    }
}
