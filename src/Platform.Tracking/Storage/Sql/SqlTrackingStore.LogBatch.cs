using System.Data.Common;
using Platform.Tracking.Api;
using Platform.Tracking.Model;

namespace Platform.Tracking.Storage.Sql;

internal sealed partial class SqlTrackingStore
{
    public async Task LogBatchAsync(string runId, IReadOnlyList<Metric> metrics, IReadOnlyList<KeyValue> parameters, IReadOnlyList<KeyValue> tags, CancellationToken cancellationToken)
    {
        var distinctParams = DistinctParams(runId, parameters);
        await using var connection = await _dialect.OpenConnectionAsync(cancellationToken);
        await using var transaction = await _dialect.BeginWriteTransactionAsync(connection, cancellationToken);
        await RequireActiveRunAsync(connection, transaction, runId, cancellationToken);
        if (distinctParams.Count > 0)
        {
            await InsertParamsAsync(connection, transaction, runId, distinctParams, cancellationToken);
        }

        if (tags.Count > 0)
        {
            await UpsertRunTagsAsync(connection, transaction, runId, DeduplicateLastWins(tags), cancellationToken);
        }

        if (metrics.Count > 0)
        {
            await _dialect.WriteMetricsAsync(connection, transaction, runId, metrics, cancellationToken);
        }

        await transaction.CommitAsync(cancellationToken);
    }

    public async Task LogInputsAsync(string runId, IReadOnlyList<DatasetInput> inputs, IReadOnlyList<ModelInput> modelInputs, CancellationToken cancellationToken)
    {
        await using var connection = await _dialect.OpenConnectionAsync(cancellationToken);
        await using var transaction = await _dialect.BeginWriteTransactionAsync(connection, cancellationToken);
        await RequireActiveRunAsync(connection, transaction, runId, cancellationToken);
        long experimentId;
        await using (var command = connection.CreateCommand(transaction, "SELECT experiment_id FROM runs WHERE run_uuid = @run"))
        {
            command.Add("@run", runId);
            experimentId = Convert.ToInt64(await command.ExecuteScalarAsync(cancellationToken), System.Globalization.CultureInfo.InvariantCulture);
        }

        foreach (var input in inputs)
        {
            var datasetId = await GetOrCreateDatasetAsync(connection, transaction, experimentId, input.Dataset, cancellationToken);
            var inputId = await GetOrCreateInputAsync(connection, transaction, datasetId, runId, cancellationToken);
            foreach (var tag in DeduplicateLastWins(input.Tags))
            {
                await ExecuteAsync(connection, transaction,
                    "INSERT INTO input_tags (input_uuid, name, value) VALUES (@input, @name, @value) " +
                    "ON CONFLICT (input_uuid, name) DO UPDATE SET value = excluded.value",
                    cancellationToken, ("@input", inputId), ("@name", tag.Key), ("@value", tag.Value));
            }
        }

        // NOTE: the model id is not checked against logged_models, because the logged-model feature owns that table,
        // so an unknown id is stored and returned as given.
        foreach (var modelInput in modelInputs)
        {
            await ExecuteAsync(connection, transaction,
                "INSERT INTO run_model_inputs (run_uuid, model_id) VALUES (@run, @model) ON CONFLICT (run_uuid, model_id) DO NOTHING",
                cancellationToken, ("@run", runId), ("@model", modelInput.ModelId));
        }

        await transaction.CommitAsync(cancellationToken);
    }

    // Params are write-once: the same key twice in one request must carry the same value.
    private static List<KeyValue> DistinctParams(string runId, IReadOnlyList<KeyValue> parameters)
    {
        var byKey = new Dictionary<string, KeyValue>(StringComparer.Ordinal);
        foreach (var parameter in parameters)
        {
            if (byKey.TryGetValue(parameter.Key, out var earlier) && earlier.Value != parameter.Value)
            {
                throw TrackingException.InvalidParameter(
                    $"Duplicate parameter key '{parameter.Key}' with different values ('{earlier.Value}' and '{parameter.Value}') in one request for run {runId}. Send each param once.");
            }

            byKey[parameter.Key] = parameter;
        }

        return byKey.Values.OrderBy(parameter => parameter.Key, StringComparer.Ordinal).ToList();
    }

    private static async Task InsertParamsAsync(DbConnection connection, DbTransaction transaction, string runId, List<KeyValue> parameters, CancellationToken cancellationToken)
    {
        var existing = await ReadParamsAsync(connection, transaction, runId, parameters, cancellationToken);
        ThrowOnChangedParam(runId, parameters, existing);
        var fresh = parameters.Where(p => !existing.ContainsKey(p.Key)).ToList();
        if (fresh.Count == 0)
        {
            return;
        }

        var inserted = new HashSet<string>(StringComparer.Ordinal);
        await using (var insert = connection.CreateCommand(transaction, string.Empty))
        {
            var runParameter = insert.Bind(runId);
            var values = string.Join(", ", fresh.Select(p => $"({runParameter}, {insert.Bind(p.Key)}, {insert.Bind(p.Value)})"));
            insert.CommandText = $"INSERT INTO params (run_uuid, key, value) VALUES {values} ON CONFLICT (run_uuid, key) DO NOTHING RETURNING key";
            await using var reader = await insert.ExecuteReaderAsync(cancellationToken);
            while (await reader.ReadAsync(cancellationToken))
            {
                inserted.Add(reader.GetString(0));
            }
        }

        // On PostgreSQL a concurrent request may have committed the same key between the check and the insert,
        // and DO NOTHING then skips the row silently. Such keys are read again and compared like the others.
        var skipped = fresh.Where(p => !inserted.Contains(p.Key)).ToList();
        if (skipped.Count > 0)
        {
            var current = await ReadParamsAsync(connection, transaction, runId, skipped, cancellationToken);
            ThrowOnChangedParam(runId, skipped, current);
        }
    }

    private static async Task<Dictionary<string, string>> ReadParamsAsync(DbConnection connection, DbTransaction transaction, string runId, IEnumerable<KeyValue> parameters, CancellationToken cancellationToken)
    {
        var values = new Dictionary<string, string>(StringComparer.Ordinal);
        await using var select = connection.CreateCommand(transaction, string.Empty);
        var run = select.Bind(runId);
        select.CommandText = $"SELECT key, value FROM params WHERE run_uuid = {run} AND key IN ({BindList(select, parameters.Select(p => p.Key))})";
        await using var reader = await select.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            values[reader.GetString(0)] = reader.GetString(1);
        }

        return values;
    }

    private static void ThrowOnChangedParam(string runId, IEnumerable<KeyValue> parameters, Dictionary<string, string> existing)
    {
        var conflict = parameters.FirstOrDefault(p => existing.TryGetValue(p.Key, out var old) && old != p.Value);
        if (conflict is not null)
        {
            throw TrackingException.InvalidParameter(
                $"Changing param values is not allowed. Param with key='{conflict.Key}' was already logged with value='{existing[conflict.Key]}' " +
                $"for run ID='{runId}'. Attempted logging new value '{conflict.Value}'.");
        }
    }

    private static async Task<string> GetOrCreateDatasetAsync(DbConnection connection, DbTransaction transaction, long experimentId, Dataset dataset, CancellationToken cancellationToken)
    {
        await ExecuteAsync(connection, transaction,
            "INSERT INTO datasets (dataset_uuid, experiment_id, name, digest, source_type, source, schema, profile) " +
            "VALUES (@id, @experiment, @name, @digest, @sourceType, @source, @schema, @profile) ON CONFLICT (experiment_id, name, digest) DO NOTHING",
            cancellationToken,
            ("@id", Guid.NewGuid().ToString("N")), ("@experiment", experimentId), ("@name", dataset.Name), ("@digest", dataset.Digest),
            ("@sourceType", dataset.SourceType), ("@source", dataset.Source), ("@schema", dataset.Schema), ("@profile", dataset.Profile));
        await using var select = connection.CreateCommand(transaction,
            "SELECT dataset_uuid FROM datasets WHERE experiment_id = @experiment AND name = @name AND digest = @digest");
        select.Add("@experiment", experimentId);
        select.Add("@name", dataset.Name);
        select.Add("@digest", dataset.Digest);
        return (string)(await select.ExecuteScalarAsync(cancellationToken))!;
    }

    private static async Task<string> GetOrCreateInputAsync(DbConnection connection, DbTransaction transaction, string datasetId, string runId, CancellationToken cancellationToken)
    {
        await ExecuteAsync(connection, transaction,
            "INSERT INTO inputs (input_uuid, source_type, source_id, destination_type, destination_id) " +
            "VALUES (@id, 'DATASET', @dataset, 'RUN', @run) ON CONFLICT (source_id, destination_id) DO NOTHING",
            cancellationToken, ("@id", Guid.NewGuid().ToString("N")), ("@dataset", datasetId), ("@run", runId));
        await using var select = connection.CreateCommand(transaction, "SELECT input_uuid FROM inputs WHERE source_id = @dataset AND destination_id = @run");
        select.Add("@dataset", datasetId);
        select.Add("@run", runId);
        return (string)(await select.ExecuteScalarAsync(cancellationToken))!;
    }
}
