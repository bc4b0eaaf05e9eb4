using System.Data.Common;
using System.Globalization;
using Platform.Tracking.Api;
using Platform.Tracking.Model;
using Platform.Tracking.Search;
using Platform.Tracking.Storage.Sql;
using SortKey = Platform.Tracking.Storage.Sql.SortKey;

namespace Platform.Tracking.Registry.Traces;

/// <summary><see cref="ITraceStore"/> over the tracking store's <see cref="SqlDialect"/>, in the registry's schema version 3.</summary>
internal sealed class SqlTraceStore : ITraceStore
{
    /// <summary>Tag that MLflow 3 sets to the trace's name, which the <c>name</c> filter matches.</summary>
    public const string TraceNameTag = "mlflow.traceName";

    private const string Columns =
        "t.trace_id, t.experiment_id, t.client_request_id, t.request_time, t.execution_duration, t.state, t.request_preview, t.response_preview";

    private readonly SqlDialect _dialect;

    public SqlTraceStore(SqlDialect dialect)
    {
        ArgumentNullException.ThrowIfNull(dialect);

        _dialect = dialect;
    }

    public async Task<TraceInfo> StartAsync(TraceInfo trace, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(trace);

        await using var connection = await _dialect.OpenConnectionAsync(cancellationToken);
        await using (var transaction = await _dialect.BeginWriteTransactionAsync(connection, cancellationToken))
        {
            // A retried start replaces the earlier row with everything that hangs off it except assessments and run links.
            await ExecuteAsync(connection, transaction, "DELETE FROM trace_tags WHERE trace_id = @id", cancellationToken, ("@id", trace.TraceId));
            await ExecuteAsync(connection, transaction, "DELETE FROM trace_metadata WHERE trace_id = @id", cancellationToken, ("@id", trace.TraceId));
            await ExecuteAsync(connection, transaction,
                "INSERT INTO traces (trace_id, experiment_id, client_request_id, request_time, execution_duration, state, request_preview, response_preview) " +
                "VALUES (@id, @experiment, @client, @time, @duration, @state, @request, @response) " +
                "ON CONFLICT (trace_id) DO UPDATE SET experiment_id = excluded.experiment_id, client_request_id = excluded.client_request_id, " +
                "request_time = excluded.request_time, execution_duration = excluded.execution_duration, state = excluded.state, " +
                "request_preview = excluded.request_preview, response_preview = excluded.response_preview",
                cancellationToken,
                ("@id", trace.TraceId),
                ("@experiment", long.Parse(trace.ExperimentId, CultureInfo.InvariantCulture)),
                ("@client", trace.ClientRequestId),
                ("@time", trace.RequestTime),
                ("@duration", trace.ExecutionDuration),
                ("@state", trace.State),
                ("@request", trace.RequestPreview),
                ("@response", trace.ResponsePreview));
            foreach (var tag in trace.Tags)
            {
                await UpsertAsync(connection, transaction, "trace_tags", trace.TraceId, tag, cancellationToken);
            }

            foreach (var entry in trace.Metadata)
            {
                await UpsertAsync(connection, transaction, "trace_metadata", trace.TraceId, entry, cancellationToken);
            }

            await transaction.CommitAsync(cancellationToken);
        }

        return await GetAsync(connection, trace.TraceId, cancellationToken);
    }

    public async Task<TraceInfo> GetAsync(string traceId, CancellationToken cancellationToken)
    {
        await using var connection = await _dialect.OpenConnectionAsync(cancellationToken);
        return await GetAsync(connection, traceId, cancellationToken);
    }

    public async Task<Page<TraceInfo>> SearchAsync(TraceSearchQuery query, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(query);

        var experimentIds = SearchExperimentIds.Parse(query.ExperimentIds);
        if (experimentIds.Count == 0)
        {
            return new Page<TraceInfo>([], null);
        }

        await using var connection = await _dialect.OpenConnectionAsync(cancellationToken);
        await using var command = connection.CreateCommand(null, string.Empty);
        var search = new KeysetPageQuery(command);
        var orderBy = query.OrderBy.Count > 0
            ? query.OrderBy
            : [new OrderByClause(new Identifier(EntityKind.Attribute, "timestamp_ms"), false)];
        foreach (var clause in orderBy)
        {
            var (expression, type) = TraceSearchRules.Column(clause.Identifier.Key);
            search.Paging.Add(new SortKey(expression, clause.Ascending, type, Nullable: expression == "t.execution_duration"), expression);
        }

        search.Paging.Add(new SortKey("t.trace_id", true, SortValueType.Text, false), "t.trace_id");

        search.Where($"t.experiment_id IN ({string.Join(", ", experimentIds.Select(id => command.Bind(id)))})");
        foreach (var clause in query.Filter)
        {
            search.Where(FilterSql(command, clause));
        }

        var page = await search.ReadPageAsync(Columns, "traces t", query.PageToken, query.MaxResults, reader => reader.GetString(0), cancellationToken);
        var traces = new List<TraceInfo>(page.Items.Count);
        foreach (var id in page.Items)
        {
            traces.Add(await GetAsync(connection, id, cancellationToken));
        }

        return new Page<TraceInfo>(traces, page.NextPageToken);
    }

    public async Task<int> DeleteAsync(string experimentId, IReadOnlyList<string> traceIds, long? maxTimestampMillis, int? maxTraces, CancellationToken cancellationToken)
    {
        var experiment = long.Parse(experimentId, CultureInfo.InvariantCulture);
        await using var connection = await _dialect.OpenConnectionAsync(cancellationToken);
        await using var transaction = await _dialect.BeginWriteTransactionAsync(connection, cancellationToken);
        await using var command = connection.CreateCommand(transaction, string.Empty);
        var target = traceIds.Count > 0
            ? $"SELECT trace_id FROM traces WHERE experiment_id = {command.Bind(experiment)} AND trace_id IN ({string.Join(", ", traceIds.Select(id => command.Bind(id)))})"
            : $"SELECT trace_id FROM traces WHERE experiment_id = {command.Bind(experiment)} AND request_time <= {command.Bind(maxTimestampMillis ?? long.MaxValue)} " +
              $"ORDER BY request_time, trace_id LIMIT {command.Bind((long)(maxTraces ?? int.MaxValue))}";

        // ON DELETE CASCADE removes the tags, metadata, assessments and run links with each trace.
        command.CommandText = $"DELETE FROM traces WHERE trace_id IN ({target})";
        var deleted = await command.ExecuteNonQueryAsync(cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        return deleted;
    }

    public async Task SetTagAsync(string traceId, KeyValue tag, CancellationToken cancellationToken)
    {
        await using var connection = await _dialect.OpenConnectionAsync(cancellationToken);
        await using var transaction = await _dialect.BeginWriteTransactionAsync(connection, cancellationToken);
        await RequireTraceAsync(connection, transaction, traceId, cancellationToken);
        await UpsertAsync(connection, transaction, "trace_tags", traceId, tag, cancellationToken);
        await transaction.CommitAsync(cancellationToken);
    }

    public async Task DeleteTagAsync(string traceId, string key, CancellationToken cancellationToken)
    {
        await using var connection = await _dialect.OpenConnectionAsync(cancellationToken);
        await using var transaction = await _dialect.BeginWriteTransactionAsync(connection, cancellationToken);
        await RequireTraceAsync(connection, transaction, traceId, cancellationToken);
        if (await ExecuteAsync(connection, transaction, "DELETE FROM trace_tags WHERE trace_id = @id AND key = @key",
            cancellationToken, ("@id", traceId), ("@key", key)) == 0)
        {
            throw TrackingException.NotFound($"No trace tag with key '{key}' found on trace {traceId}.");
        }

        await transaction.CommitAsync(cancellationToken);
    }

    public async Task LinkToRunAsync(string runId, IReadOnlyList<string> traceIds, CancellationToken cancellationToken)
    {
        await using var connection = await _dialect.OpenConnectionAsync(cancellationToken);
        await using var transaction = await _dialect.BeginWriteTransactionAsync(connection, cancellationToken);
        foreach (var traceId in traceIds.Distinct(StringComparer.Ordinal))
        {
            await RequireTraceAsync(connection, transaction, traceId, cancellationToken);
            await ExecuteAsync(connection, transaction,
                "INSERT INTO trace_run_links (trace_id, run_id) VALUES (@trace, @run) ON CONFLICT (trace_id, run_id) DO NOTHING",
                cancellationToken, ("@trace", traceId), ("@run", runId));
        }

        await transaction.CommitAsync(cancellationToken);
    }

    public async Task SaveAssessmentAsync(string traceId, string assessmentId, string body, long createTime, CancellationToken cancellationToken)
    {
        await using var connection = await _dialect.OpenConnectionAsync(cancellationToken);
        await using var transaction = await _dialect.BeginWriteTransactionAsync(connection, cancellationToken);
        await RequireTraceAsync(connection, transaction, traceId, cancellationToken);
        await ExecuteAsync(connection, transaction,
            "INSERT INTO trace_assessments (assessment_id, trace_id, body, create_time) VALUES (@id, @trace, @body, @time) " +
            "ON CONFLICT (assessment_id) DO UPDATE SET body = excluded.body",
            cancellationToken, ("@id", assessmentId), ("@trace", traceId), ("@body", body), ("@time", createTime));
        await transaction.CommitAsync(cancellationToken);
    }

    public async Task<string> GetAssessmentAsync(string traceId, string assessmentId, CancellationToken cancellationToken)
    {
        await using var connection = await _dialect.OpenConnectionAsync(cancellationToken);
        await RequireTraceAsync(connection, null, traceId, cancellationToken);
        await using var command = connection.CreateCommand(null, "SELECT body FROM trace_assessments WHERE trace_id = @trace AND assessment_id = @id");
        command.Add("@trace", traceId);
        command.Add("@id", assessmentId);
        return await command.ExecuteScalarAsync(cancellationToken) as string ?? throw AssessmentNotFound(traceId, assessmentId);
    }

    public async Task DeleteAssessmentAsync(string traceId, string assessmentId, CancellationToken cancellationToken)
    {
        await using var connection = await _dialect.OpenConnectionAsync(cancellationToken);
        await using var transaction = await _dialect.BeginWriteTransactionAsync(connection, cancellationToken);
        await RequireTraceAsync(connection, transaction, traceId, cancellationToken);
        if (await ExecuteAsync(connection, transaction, "DELETE FROM trace_assessments WHERE trace_id = @trace AND assessment_id = @id",
            cancellationToken, ("@trace", traceId), ("@id", assessmentId)) == 0)
        {
            throw AssessmentNotFound(traceId, assessmentId);
        }

        await transaction.CommitAsync(cancellationToken);
    }

    private string FilterSql(DbCommand command, FilterClause clause)
    {
        var key = clause.Identifier.Key;
        if (clause.Identifier.Kind == EntityKind.Tag || key == "name")
        {
            var tagKey = clause.Identifier.Kind == EntityKind.Tag ? key : TraceNameTag;
            return $"EXISTS (SELECT 1 FROM trace_tags e WHERE e.trace_id = t.trace_id AND e.key = {command.Bind(tagKey)} AND {TextSql(command, "e.value", clause)})";
        }

        if (clause.Identifier.Kind == EntityKind.Metadata)
        {
            return $"EXISTS (SELECT 1 FROM trace_metadata e WHERE e.trace_id = t.trace_id AND e.key = {command.Bind(key)} AND {TextSql(command, "e.value", clause)})";
        }

        if (key == "run_id")
        {
            return $"EXISTS (SELECT 1 FROM trace_run_links e WHERE e.trace_id = t.trace_id AND {TextSql(command, "e.run_id", clause)})";
        }

        var (expression, type) = TraceSearchRules.Column(key);
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

    private static async Task<TraceInfo> GetAsync(DbConnection connection, string traceId, CancellationToken cancellationToken)
    {
        TraceInfo? trace = null;
        await using (var command = connection.CreateCommand(null, $"SELECT {Columns} FROM traces t WHERE t.trace_id = @id"))
        {
            command.Add("@id", traceId);
            await using var reader = await command.ExecuteReaderAsync(cancellationToken);
            if (await reader.ReadAsync(cancellationToken))
            {
                trace = new TraceInfo(
                    reader.GetString(0),
                    reader.GetInt64(1).ToString(CultureInfo.InvariantCulture),
                    reader.GetNullableString(2),
                    reader.GetInt64(3),
                    reader.GetNullableInt64(4),
                    reader.GetString(5),
                    reader.GetNullableString(6),
                    reader.GetNullableString(7),
                    [],
                    [],
                    []);
            }
        }

        if (trace is null)
        {
            throw TraceNotFound(traceId);
        }

        var assessments = new List<string>();
        await using (var command = connection.CreateCommand(null, "SELECT body FROM trace_assessments WHERE trace_id = @id ORDER BY create_time, assessment_id"))
        {
            command.Add("@id", traceId);
            await using var reader = await command.ExecuteReaderAsync(cancellationToken);
            while (await reader.ReadAsync(cancellationToken))
            {
                assessments.Add(reader.GetString(0));
            }
        }

        return trace with
        {
            Metadata = await ReadEntriesAsync(connection, "trace_metadata", traceId, cancellationToken),
            Tags = await ReadEntriesAsync(connection, "trace_tags", traceId, cancellationToken),
            Assessments = assessments,
        };
    }

    private static async Task<List<KeyValue>> ReadEntriesAsync(DbConnection connection, string table, string traceId, CancellationToken cancellationToken)
    {
        await using var command = connection.CreateCommand(null, $"SELECT key, value FROM {table} WHERE trace_id = @id ORDER BY key");
        command.Add("@id", traceId);
        var entries = new List<KeyValue>();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            entries.Add(new KeyValue(reader.GetString(0), reader.GetString(1)));
        }

        return entries;
    }

    private static async Task RequireTraceAsync(DbConnection connection, DbTransaction? transaction, string traceId, CancellationToken cancellationToken)
    {
        await using var command = connection.CreateCommand(transaction, "SELECT 1 FROM traces WHERE trace_id = @id");
        command.Add("@id", traceId);
        if (await command.ExecuteScalarAsync(cancellationToken) is null)
        {
            throw TraceNotFound(traceId);
        }
    }

    /// <summary>Inserts or overwrites one key-value row; <paramref name="table"/> is one of the two fixed table names.</summary>
    private static Task<int> UpsertAsync(DbConnection connection, DbTransaction transaction, string table, string traceId, KeyValue entry, CancellationToken cancellationToken) =>
        ExecuteAsync(connection, transaction,
            $"INSERT INTO {table} (trace_id, key, value) VALUES (@id, @key, @value) ON CONFLICT (trace_id, key) DO UPDATE SET value = excluded.value",
            cancellationToken, ("@id", traceId), ("@key", entry.Key), ("@value", entry.Value));

    private static async Task<int> ExecuteAsync(DbConnection connection, DbTransaction? transaction, string sql, CancellationToken cancellationToken, params (string Name, object? Value)[] parameters)
    {
        await using var command = connection.CreateCommand(transaction, sql);
        foreach (var (name, value) in parameters)
        {
            command.Add(name, value);
        }

        return await command.ExecuteNonQueryAsync(cancellationToken);
    }

    private static TrackingException TraceNotFound(string traceId) =>
        TrackingException.NotFound($"Trace with ID '{traceId}' not found.");

    private static TrackingException AssessmentNotFound(string traceId, string assessmentId) =>
        TrackingException.NotFound($"Assessment with ID '{assessmentId}' not found on trace {traceId}.");
}
