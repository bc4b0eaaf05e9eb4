using System.Data.Common;
using System.Globalization;
using Platform.Tracking.Api;
using Platform.Tracking.Model;
using Platform.Tracking.Search;
using Platform.Tracking.Storage.Sql;
using SortKey = Platform.Tracking.Storage.Sql.SortKey;

namespace Platform.Tracking.Registry.LoggedModels;

/// <summary>
/// <see cref="ILoggedModelStore"/> over the tracking store's <see cref="SqlDialect"/>. The tables come from the
/// registry's schema version 2, which <see cref="Storage.RegistryMigrator"/> applies.
/// </summary>
internal sealed class SqlLoggedModelStore : ILoggedModelStore
{
    private const string Columns =
        "lm.model_id, lm.experiment_id, lm.name, lm.artifact_uri, lm.status, lm.status_message, lm.model_type, lm.source_run_id, " +
        "lm.creation_time, lm.last_updated_time";

    private readonly SqlDialect _dialect;
    private readonly TimeProvider _time;

    public SqlLoggedModelStore(SqlDialect dialect, TimeProvider time)
    {
        ArgumentNullException.ThrowIfNull(dialect);
        ArgumentNullException.ThrowIfNull(time);

        _dialect = dialect;
        _time = time;
    }

    public async Task<LoggedModel> CreateAsync(string experimentId, string experimentArtifactLocation, string? name, string? modelType, string? sourceRunId, IReadOnlyList<KeyValue> parameters, IReadOnlyList<KeyValue> tags, CancellationToken cancellationToken)
    {
        var modelId = "m-" + Guid.NewGuid().ToString("N");
        var now = _time.GetUtcNow().ToUnixTimeMilliseconds();
        await using var connection = await _dialect.OpenConnectionAsync(cancellationToken);
        await using (var transaction = await _dialect.BeginWriteTransactionAsync(connection, cancellationToken))
        {
            await ExecuteAsync(connection, transaction,
                "INSERT INTO logged_models (model_id, experiment_id, name, artifact_uri, status, model_type, source_run_id, creation_time, last_updated_time) " +
                "VALUES (@id, @experiment, @name, @uri, @status, @type, @run, @now, @now)",
                cancellationToken,
                ("@id", modelId),
                ("@experiment", long.Parse(experimentId, CultureInfo.InvariantCulture)),
                ("@name", string.IsNullOrEmpty(name) ? RunNameGenerator.Create() : name),
                ("@uri", $"{experimentArtifactLocation.TrimEnd('/')}/models/{modelId}/artifacts"),
                ("@status", LoggedModelStatus.Pending),
                ("@type", modelType),
                ("@run", sourceRunId),
                ("@now", now));
            await UpsertAsync(connection, transaction, "logged_model_params", modelId, parameters, cancellationToken);
            await UpsertAsync(connection, transaction, "logged_model_tags", modelId, tags, cancellationToken);
            await transaction.CommitAsync(cancellationToken);
        }

        return await GetAsync(connection, modelId, cancellationToken);
    }

    public async Task<LoggedModel> GetAsync(string modelId, CancellationToken cancellationToken)
    {
        await using var connection = await _dialect.OpenConnectionAsync(cancellationToken);
        return await GetAsync(connection, modelId, cancellationToken);
    }

    public async Task DeleteAsync(string modelId, CancellationToken cancellationToken)
    {
        await using var connection = await _dialect.OpenConnectionAsync(cancellationToken);
        await using var transaction = await _dialect.BeginWriteTransactionAsync(connection, cancellationToken);
        if (await ExecuteAsync(connection, transaction, "DELETE FROM logged_models WHERE model_id = @id", cancellationToken, ("@id", modelId)) == 0)
        {
            throw NotFound(modelId);
        }

        await transaction.CommitAsync(cancellationToken);
    }

    public async Task<LoggedModel> FinalizeAsync(string modelId, string status, CancellationToken cancellationToken)
    {
        await using var connection = await _dialect.OpenConnectionAsync(cancellationToken);
        await using (var transaction = await _dialect.BeginWriteTransactionAsync(connection, cancellationToken))
        {
            await TouchAsync(connection, transaction, modelId, cancellationToken);
            await ExecuteAsync(connection, transaction, "UPDATE logged_models SET status = @status WHERE model_id = @id",
                cancellationToken, ("@status", status), ("@id", modelId));
            await transaction.CommitAsync(cancellationToken);
        }

        return await GetAsync(connection, modelId, cancellationToken);
    }

    public Task LogParamsAsync(string modelId, IReadOnlyList<KeyValue> parameters, CancellationToken cancellationToken) =>
        WriteEntriesAsync(modelId, "logged_model_params", parameters, cancellationToken);

    public Task SetTagsAsync(string modelId, IReadOnlyList<KeyValue> tags, CancellationToken cancellationToken) =>
        WriteEntriesAsync(modelId, "logged_model_tags", tags, cancellationToken);

    public async Task DeleteTagAsync(string modelId, string key, CancellationToken cancellationToken)
    {
        await using var connection = await _dialect.OpenConnectionAsync(cancellationToken);
        await using var transaction = await _dialect.BeginWriteTransactionAsync(connection, cancellationToken);
        await TouchAsync(connection, transaction, modelId, cancellationToken);
        if (await ExecuteAsync(connection, transaction, "DELETE FROM logged_model_tags WHERE model_id = @id AND key = @key",
            cancellationToken, ("@id", modelId), ("@key", key)) == 0)
        {
            throw TrackingException.NotFound($"No tag with key '{key}' found on logged model {modelId}.");
        }

        await transaction.CommitAsync(cancellationToken);
    }

    public async Task LogOutputsAsync(string runId, IReadOnlyList<RunModelOutput> outputs, CancellationToken cancellationToken)
    {
        await using var connection = await _dialect.OpenConnectionAsync(cancellationToken);
        await using var transaction = await _dialect.BeginWriteTransactionAsync(connection, cancellationToken);
        foreach (var output in outputs)
        {
            await TouchAsync(connection, transaction, output.ModelId, cancellationToken);
            await ExecuteAsync(connection, transaction,
                "INSERT INTO run_model_outputs (run_id, model_id, step) VALUES (@run, @model, @step) " +
                "ON CONFLICT (run_id, model_id) DO UPDATE SET step = excluded.step",
                cancellationToken, ("@run", runId), ("@model", output.ModelId), ("@step", output.Step));
        }

        await transaction.CommitAsync(cancellationToken);
    }

    public async Task<Page<LoggedModel>> SearchAsync(LoggedModelSearchQuery query, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(query);

        var experimentIds = SearchExperimentIds.Parse(query.ExperimentIds);
        if (experimentIds.Count == 0)
        {
            return new Page<LoggedModel>([], null);
        }

        await using var connection = await _dialect.OpenConnectionAsync(cancellationToken);
        await using var command = connection.CreateCommand(null, string.Empty);
        var search = new KeysetPageQuery(command);
        var orderBy = query.OrderBy.Count > 0
            ? query.OrderBy
            : [new OrderByClause(new Identifier(EntityKind.Attribute, "creation_timestamp"), false)];
        foreach (var clause in orderBy)
        {
            var (expression, type) = LoggedModelSearchRules.Column(clause.Identifier.Key);
            search.Paging.Add(new SortKey(expression, clause.Ascending, type, Nullable: expression is "lm.model_type" or "lm.source_run_id"), expression);
        }

        // model_id is unique, so it makes every page boundary exact.
        search.Paging.Add(new SortKey("lm.model_id", true, SortValueType.Text, false), "lm.model_id");

        search.Where($"lm.experiment_id IN ({string.Join(", ", experimentIds.Select(id => command.Bind(id)))})");
        foreach (var clause in query.Filter)
        {
            search.Where(FilterSql(command, clause));
        }

        var page = await search.ReadPageAsync(Columns, "logged_models lm", query.PageToken, query.MaxResults, reader => reader.GetString(0), cancellationToken);
        var models = new List<LoggedModel>(page.Items.Count);
        foreach (var id in page.Items)
        {
            models.Add(await GetAsync(connection, id, cancellationToken));
        }

        return new Page<LoggedModel>(models, page.NextPageToken);
    }

    private string FilterSql(DbCommand command, FilterClause clause)
    {
        var identifier = clause.Identifier;
        if (identifier.Kind is EntityKind.Param or EntityKind.Tag)
        {
            var table = identifier.Kind == EntityKind.Param ? "logged_model_params" : "logged_model_tags";
            return $"EXISTS (SELECT 1 FROM {table} e WHERE e.model_id = lm.model_id AND e.key = {command.Bind(identifier.Key)} " +
                $"AND {TextSql(command, "e.value", clause)})";
        }

        // NOTE: a model matches when any point of the metric matches, not only the latest point.
        if (identifier.Kind == EntityKind.Metric)
        {
            return $"EXISTS (SELECT 1 FROM metrics m WHERE m.model_id = lm.model_id AND m.key = {command.Bind(identifier.Key)} " +
                $"AND m.is_nan = 0 AND m.value {clause.Comparator} {command.Bind(clause.Value.Number!.Value)})";
        }

        var (expression, type) = LoggedModelSearchRules.Column(identifier.Key);
        return type == SortValueType.Integer
            ? $"{expression} {clause.Comparator} {command.Bind((long)clause.Value.Number!.Value)}"
            : TextSql(command, expression, clause);
    }

    private string TextSql(DbCommand command, string expression, FilterClause clause) => clause.Comparator switch
    {
        "=" => $"{expression} = {command.Bind(clause.Value.Text)}",
        "!=" => $"{expression} <> {command.Bind(clause.Value.Text)}",
        "LIKE" => $"{expression} LIKE {command.Bind(clause.Value.Text)}",
        "ILIKE" => _dialect.IlikeSql(expression, command.Bind(clause.Value.Text)),
        "IN" => $"{expression} IN ({string.Join(", ", clause.Value.List!.Select(value => command.Bind(value)))})",
        _ => $"{expression} NOT IN ({string.Join(", ", clause.Value.List!.Select(value => command.Bind(value)))})",
    };

    private async Task WriteEntriesAsync(string modelId, string table, IReadOnlyList<KeyValue> entries, CancellationToken cancellationToken)
    {
        await using var connection = await _dialect.OpenConnectionAsync(cancellationToken);
        await using var transaction = await _dialect.BeginWriteTransactionAsync(connection, cancellationToken);
        await TouchAsync(connection, transaction, modelId, cancellationToken);
        await UpsertAsync(connection, transaction, table, modelId, entries, cancellationToken);
        await transaction.CommitAsync(cancellationToken);
    }

    private async Task TouchAsync(DbConnection connection, DbTransaction transaction, string modelId, CancellationToken cancellationToken)
    {
        var updated = await ExecuteAsync(connection, transaction, "UPDATE logged_models SET last_updated_time = @now WHERE model_id = @id",
            cancellationToken, ("@now", _time.GetUtcNow().ToUnixTimeMilliseconds()), ("@id", modelId));
        if (updated == 0)
        {
            throw NotFound(modelId);
        }
    }

    /// <summary>Inserts or overwrites key-value rows; <paramref name="table"/> is one of the two fixed table names.</summary>
    private static async Task UpsertAsync(DbConnection connection, DbTransaction transaction, string table, string modelId, IReadOnlyList<KeyValue> entries, CancellationToken cancellationToken)
    {
        foreach (var entry in entries.GroupBy(entry => entry.Key, StringComparer.Ordinal).Select(group => group.Last()))
        {
            await ExecuteAsync(connection, transaction,
                $"INSERT INTO {table} (model_id, key, value) VALUES (@id, @key, @value) ON CONFLICT (model_id, key) DO UPDATE SET value = excluded.value",
                cancellationToken, ("@id", modelId), ("@key", entry.Key), ("@value", entry.Value));
        }
    }

    private static async Task<LoggedModel> GetAsync(DbConnection connection, string modelId, CancellationToken cancellationToken)
    {
        LoggedModel? model = null;
        await using (var command = connection.CreateCommand(null, $"SELECT {Columns} FROM logged_models lm WHERE lm.model_id = @id"))
        {
            command.Add("@id", modelId);
            await using var reader = await command.ExecuteReaderAsync(cancellationToken);
            if (await reader.ReadAsync(cancellationToken))
            {
                model = new LoggedModel(
                    reader.GetString(0),
                    reader.GetInt64(1).ToString(CultureInfo.InvariantCulture),
                    reader.GetString(2),
                    reader.GetString(3),
                    reader.GetString(4),
                    reader.GetNullableString(5),
                    reader.GetNullableString(6),
                    reader.GetNullableString(7),
                    reader.GetInt64(8),
                    reader.GetInt64(9),
                    [],
                    [],
                    []);
            }
        }

        if (model is null)
        {
            throw NotFound(modelId);
        }

        return model with
        {
            Params = await ReadEntriesAsync(connection, "logged_model_params", modelId, cancellationToken),
            Tags = await ReadEntriesAsync(connection, "logged_model_tags", modelId, cancellationToken),
            Metrics = await ReadMetricsAsync(connection, modelId, cancellationToken),
        };
    }

    /// <summary>Reads every metric point that runs logged with this model id, ordered by key, step and timestamp.</summary>
    private static async Task<List<RunMetric>> ReadMetricsAsync(DbConnection connection, string modelId, CancellationToken cancellationToken)
    {
        await using var command = connection.CreateCommand(null,
            "SELECT run_uuid, key, value, timestamp, step, is_nan, dataset_name, dataset_digest FROM metrics " +
            "WHERE model_id = @id ORDER BY key, step, timestamp, run_uuid");
        command.Add("@id", modelId);
        var metrics = new List<RunMetric>();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            var metric = new Metric(reader.GetString(1), reader.GetInt32(5) == 1 ? double.NaN : reader.GetDouble(2), reader.GetInt64(3), reader.GetInt64(4),
                modelId, reader.GetNullableString(6), reader.GetNullableString(7));
            metrics.Add(new RunMetric(reader.GetString(0), metric));
        }

        return metrics;
    }

    private static async Task<List<KeyValue>> ReadEntriesAsync(DbConnection connection, string table, string modelId, CancellationToken cancellationToken)
    {
        await using var command = connection.CreateCommand(null, $"SELECT key, value FROM {table} WHERE model_id = @id ORDER BY key");
        command.Add("@id", modelId);
        var entries = new List<KeyValue>();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            entries.Add(new KeyValue(reader.GetString(0), reader.GetString(1)));
        }

        return entries;
    }

    private static async Task<int> ExecuteAsync(DbConnection connection, DbTransaction? transaction, string sql, CancellationToken cancellationToken, params (string Name, object? Value)[] parameters)
    {
        await using var command = connection.CreateCommand(transaction, sql);
        foreach (var (name, value) in parameters)
        {
            command.Add(name, value);
        }

        return await command.ExecuteNonQueryAsync(cancellationToken);
    }

    private static TrackingException NotFound(string modelId) =>
        TrackingException.NotFound($"Logged model with ID '{modelId}' not found.");
}
