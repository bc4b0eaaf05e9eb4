using System.Data.Common;
using System.Globalization;
using System.Text;
using Platform.Tracking.Api;
using Platform.Tracking.Model;

namespace Platform.Tracking.Storage.Sql;

internal sealed partial class SqlTrackingStore
{
    /// <summary>The tag MLflow keeps equal to the run name.</summary>
    internal const string RunNameTag = "mlflow.runName";

    public async Task<Run> CreateRunAsync(NewRun run, CancellationToken cancellationToken)
    {
        var experimentId = ParseExperimentId(run.ExperimentId);
        var runId = Guid.NewGuid().ToString("N");
        var artifactUri = $"mlflow-artifacts:/{FormatId(experimentId)}/{runId}/artifacts";
        await using var connection = await _dialect.OpenConnectionAsync(cancellationToken);
        await using var transaction = await _dialect.BeginWriteTransactionAsync(connection, cancellationToken);
        var stage = await GetExperimentStageAsync(connection, transaction, experimentId, run.ExperimentId, cancellationToken);
        if (stage != LifecycleStage.Active)
        {
            throw TrackingException.InvalidParameter(
                $"Cannot create a run in experiment {run.ExperimentId} because it is deleted. Restore the experiment first.");
        }

        await ExecuteAsync(connection, transaction,
            "INSERT INTO runs (run_uuid, experiment_id, name, user_id, status, start_time, end_time, deleted_time, lifecycle_stage, artifact_uri) " +
            "VALUES (@run, @experiment, @name, @user, 'RUNNING', @start, NULL, NULL, 'active', @uri)",
            cancellationToken,
            ("@run", runId), ("@experiment", experimentId), ("@name", run.RunName), ("@user", run.UserId),
            ("@start", run.StartTime), ("@uri", artifactUri));
        var tags = DeduplicateLastWins(run.Tags);
        await UpsertRunTagsAsync(connection, transaction, runId, tags, cancellationToken);
        await transaction.CommitAsync(cancellationToken);

        var info = new RunInfo(runId, run.RunName, FormatId(experimentId), run.UserId, RunStatus.Running, run.StartTime, null, artifactUri, LifecycleStage.Active);
        return new Run(info, [], [], tags.OrderBy(tag => tag.Key, StringComparer.Ordinal).ToList(), [], [], []);
    }

    public async Task<Run> GetRunAsync(string runId, CancellationToken cancellationToken)
    {
        await using var connection = await _dialect.OpenConnectionAsync(cancellationToken);
        var info = await GetRunInfoAsync(connection, runId, cancellationToken);
        var runs = await LoadRunDataAsync(connection, [info], cancellationToken);
        return runs[0];
    }

    public async Task<RunInfo> UpdateRunAsync(RunUpdate update, CancellationToken cancellationToken)
    {
        await using var connection = await _dialect.OpenConnectionAsync(cancellationToken);
        await using var transaction = await _dialect.BeginWriteTransactionAsync(connection, cancellationToken);
        await RequireActiveRunAsync(connection, transaction, update.RunId, cancellationToken);
        await ExecuteAsync(connection, transaction,
            "UPDATE runs SET status = COALESCE(@status, status), end_time = COALESCE(@end, end_time), name = COALESCE(@name, name) " +
            "WHERE run_uuid = @run",
            cancellationToken, ("@status", update.Status), ("@end", update.EndTime), ("@name", update.RunName), ("@run", update.RunId));
        if (update.RunName is not null)
        {
            await UpsertRunTagsAsync(connection, transaction, update.RunId, [new KeyValue(RunNameTag, update.RunName)], cancellationToken);
        }

        var info = await GetRunInfoAsync(connection, update.RunId, cancellationToken, transaction);
        await transaction.CommitAsync(cancellationToken);
        return info;
    }

    public async Task SetRunLifecycleAsync(string runId, bool deleted, CancellationToken cancellationToken)
    {
        await using var connection = await _dialect.OpenConnectionAsync(cancellationToken);
        await using var transaction = await _dialect.BeginWriteTransactionAsync(connection, cancellationToken);
        await GetRunStageAsync(connection, transaction, runId, cancellationToken);
        if (!deleted)
        {
            // Restoring a run of a deleted experiment would leave an active run that no search lists, so it is rejected.
            await using var command = connection.CreateCommand(transaction,
                "SELECT e.lifecycle_stage FROM runs r JOIN experiments e ON e.experiment_id = r.experiment_id WHERE r.run_uuid = @run");
            command.Add("@run", runId);
            if (await command.ExecuteScalarAsync(cancellationToken) as string != LifecycleStage.Active)
            {
                throw TrackingException.InvalidParameter(
                    $"Cannot restore run {runId} because its experiment is deleted. Restore the experiment first.");
            }
        }

        await ExecuteAsync(connection, transaction, "UPDATE runs SET lifecycle_stage = @stage, deleted_time = @deletedTime WHERE run_uuid = @run",
            cancellationToken,
            ("@stage", deleted ? LifecycleStage.Deleted : LifecycleStage.Active),
            ("@deletedTime", deleted ? Now() : null),
            ("@run", runId));
        await transaction.CommitAsync(cancellationToken);
    }

    public async Task DeleteTagAsync(string runId, string key, CancellationToken cancellationToken)
    {
        await using var connection = await _dialect.OpenConnectionAsync(cancellationToken);
        await using var transaction = await _dialect.BeginWriteTransactionAsync(connection, cancellationToken);
        await RequireActiveRunAsync(connection, transaction, runId, cancellationToken);
        var deleted = await ExecuteAsync(connection, transaction, "DELETE FROM tags WHERE run_uuid = @run AND key = @key",
            cancellationToken, ("@run", runId), ("@key", key));
        if (deleted == 0)
        {
            throw TrackingException.NotFound($"No tag with name '{key}' in run with id {runId}.");
        }

        await transaction.CommitAsync(cancellationToken);
    }

    private static async Task<RunInfo> GetRunInfoAsync(DbConnection connection, string runId, CancellationToken cancellationToken, DbTransaction? transaction = null)
    {
        await using var command = connection.CreateCommand(transaction, $"SELECT {RunColumns} FROM runs r WHERE r.run_uuid = @run");
        command.Add("@run", runId);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        return await reader.ReadAsync(cancellationToken)
            ? ReadRunInfo(reader)
            : throw TrackingException.NotFound($"Run with id={runId} not found.");
    }

    private static async Task UpsertRunTagsAsync(DbConnection connection, DbTransaction transaction, string runId, IReadOnlyList<KeyValue> tags, CancellationToken cancellationToken)
    {
        if (tags.Count == 0)
        {
            return;
        }

        await using var command = connection.CreateCommand(transaction, string.Empty);
        var run = command.Bind(runId);
        var values = string.Join(", ", tags.Select(tag => $"({run}, {command.Bind(tag.Key)}, {command.Bind(tag.Value)})"));
        command.CommandText =
            $"INSERT INTO tags (run_uuid, key, value) VALUES {values} ON CONFLICT (run_uuid, key) DO UPDATE SET value = excluded.value";
        await command.ExecuteNonQueryAsync(cancellationToken);

        // Setting the mlflow.runName tag renames the run, as in MLflow.
        var nameTag = tags.LastOrDefault(tag => tag.Key == RunNameTag);
        if (nameTag is not null)
        {
            await ExecuteAsync(connection, transaction, "UPDATE runs SET name = @name WHERE run_uuid = @run",
                cancellationToken, ("@name", nameTag.Value), ("@run", runId));
        }
    }

    /// <summary>
    /// Loads latest metrics, params, tags, inputs and outputs for a page of runs. Each chunk of run ids is one command
    /// with one SELECT per table, read with NextResult, so a page costs one round trip per chunk instead of one per table.
    /// </summary>
    private async Task<List<Run>> LoadRunDataAsync(DbConnection connection, IReadOnlyList<RunInfo> infos, CancellationToken cancellationToken)
    {
        var metrics = new Dictionary<string, List<Metric>>(StringComparer.Ordinal);
        var parameters = new Dictionary<string, List<KeyValue>>(StringComparer.Ordinal);
        var tags = new Dictionary<string, List<KeyValue>>(StringComparer.Ordinal);
        var inputs = new Dictionary<string, List<DatasetInput>>(StringComparer.Ordinal);
        var modelInputs = new Dictionary<string, List<ModelInput>>(StringComparer.Ordinal);
        var modelOutputs = new Dictionary<string, List<RunModelOutput>>(StringComparer.Ordinal);
        foreach (var chunk in Chunk(infos.Select(info => info.RunId).ToList()))
        {
            await using var command = connection.CreateCommand(null, string.Empty);
            var runIds = BindList(command, chunk);
            var sql = new StringBuilder()
                .Append("SELECT run_uuid, key, value, timestamp, step, is_nan, model_id, dataset_name, dataset_digest FROM latest_metrics ")
                .Append("WHERE run_uuid IN (").Append(runIds).Append(");\n")
                .Append("SELECT run_uuid, key, value FROM params WHERE run_uuid IN (").Append(runIds).Append(");\n")
                .Append("SELECT run_uuid, key, value FROM tags WHERE run_uuid IN (").Append(runIds).Append(");\n")
                .Append("SELECT i.destination_id, i.input_uuid, d.name, d.digest, d.source_type, d.source, d.schema, d.profile ")
                .Append("FROM inputs i JOIN datasets d ON d.dataset_uuid = i.source_id WHERE i.destination_id IN (").Append(runIds)
                .Append(") ORDER BY d.name, d.digest;\n")
                .Append("SELECT t.input_uuid, t.name, t.value FROM input_tags t JOIN inputs i ON i.input_uuid = t.input_uuid ")
                .Append("WHERE i.destination_id IN (").Append(runIds).Append(") ORDER BY t.name;\n")
                .Append("SELECT run_uuid, model_id FROM run_model_inputs WHERE run_uuid IN (").Append(runIds).Append(") ORDER BY model_id");
            if (_outputs is not null)
            {
                sql.Append(";\n").Append(string.Format(CultureInfo.InvariantCulture, _outputs.SelectSqlFormat, runIds));
            }

            command.CommandText = sql.ToString();
            await using var reader = await command.ExecuteReaderAsync(cancellationToken);
            await ReadGroupedAsync(reader, metrics, row => new Metric(row.GetString(1), row.GetInt32(5) == 1 ? double.NaN : row.GetDouble(2), row.GetInt64(3), row.GetInt64(4),
                row.GetNullableString(6), row.GetNullableString(7), row.GetNullableString(8)), cancellationToken);
            await NextResultAsync(reader, cancellationToken);
            await ReadGroupedAsync(reader, parameters, row => new KeyValue(row.GetString(1), row.GetString(2)), cancellationToken);
            await NextResultAsync(reader, cancellationToken);
            await ReadGroupedAsync(reader, tags, row => new KeyValue(row.GetString(1), row.GetString(2)), cancellationToken);
            await NextResultAsync(reader, cancellationToken);
            await ReadInputsAsync(reader, inputs, cancellationToken);
            await NextResultAsync(reader, cancellationToken);
            await ReadGroupedAsync(reader, modelInputs, row => new ModelInput(row.GetString(1)), cancellationToken);
            if (_outputs is not null)
            {
                await NextResultAsync(reader, cancellationToken);
                await ReadGroupedAsync(reader, modelOutputs, row => new RunModelOutput(row.GetString(1), row.GetInt64(2)), cancellationToken);
            }
        }

        // Keys are sorted here rather than in SQL: ordinal order is the same on both backends, and on PostgreSQL an
        // ORDER BY over a search page's thousands of metric rows cost a collation-aware sort on the shared database.
        SortByKey(metrics, static metric => metric.Key);
        SortByKey(parameters, static parameter => parameter.Key);
        SortByKey(tags, static tag => tag.Key);
        return infos
            .Select(info => new Run(
                info,
                metrics.GetValueOrDefault(info.RunId) ?? [],
                parameters.GetValueOrDefault(info.RunId) ?? [],
                tags.GetValueOrDefault(info.RunId) ?? [],
                inputs.GetValueOrDefault(info.RunId) ?? [],
                modelInputs.GetValueOrDefault(info.RunId) ?? [],
                modelOutputs.GetValueOrDefault(info.RunId) ?? []))
            .ToList();
    }

    private static void SortByKey<T>(Dictionary<string, List<T>> groups, Func<T, string> key)
    {
        foreach (var list in groups.Values)
        {
            list.Sort((left, right) => string.CompareOrdinal(key(left), key(right)));
        }
    }

    private static async Task NextResultAsync(DbDataReader reader, CancellationToken cancellationToken)
    {
        if (!await reader.NextResultAsync(cancellationToken))
        {
            throw new InvalidOperationException("The run data query returned fewer result sets than it has SELECT statements.");
        }
    }

    /// <summary>Adds the rows of the current result set, whose first column is the run id, to <paramref name="target"/>.</summary>
    private static async Task ReadGroupedAsync<T>(DbDataReader reader, Dictionary<string, List<T>> target, Func<DbDataReader, T> read, CancellationToken cancellationToken)
    {
        while (await reader.ReadAsync(cancellationToken))
        {
            var runId = reader.GetString(0);
            if (!target.TryGetValue(runId, out var list))
            {
                target[runId] = list = [];
            }

            list.Add(read(reader));
        }
    }

    /// <summary>Reads two result sets: the dataset inputs of the runs, then the tags of those inputs.</summary>
    private static async Task ReadInputsAsync(DbDataReader reader, Dictionary<string, List<DatasetInput>> target, CancellationToken cancellationToken)
    {
        var rows = new List<(string RunId, string InputId, Dataset Dataset)>();
        while (await reader.ReadAsync(cancellationToken))
        {
            var dataset = new Dataset(reader.GetString(2), reader.GetString(3), reader.GetString(4), reader.GetString(5),
                reader.GetNullableString(6), reader.GetNullableString(7));
            rows.Add((reader.GetString(0), reader.GetString(1), dataset));
        }

        await NextResultAsync(reader, cancellationToken);
        var inputTags = new Dictionary<string, List<KeyValue>>(StringComparer.Ordinal);
        while (await reader.ReadAsync(cancellationToken))
        {
            var inputId = reader.GetString(0);
            if (!inputTags.TryGetValue(inputId, out var list))
            {
                inputTags[inputId] = list = [];
            }

            list.Add(new KeyValue(reader.GetString(1), reader.GetString(2)));
        }

        foreach (var (runId, inputId, dataset) in rows)
        {
            if (!target.TryGetValue(runId, out var list))
            {
                target[runId] = list = [];
            }

            list.Add(new DatasetInput(inputTags.GetValueOrDefault(inputId) ?? [], dataset));
        }
    }
}
