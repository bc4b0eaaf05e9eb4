using Platform.Tracking.Model;

namespace Platform.Tracking.Storage.Sql;

internal sealed partial class SqlTrackingStore
{
    public async Task<Page<Metric>> GetMetricHistoryAsync(string runId, string key, int maxResults, string? pageToken, CancellationToken cancellationToken)
    {
        await using var connection = await _dialect.OpenConnectionAsync(cancellationToken);
        await GetRunStageAsync(connection, null, runId, cancellationToken);

        await using var command = connection.CreateCommand(null, string.Empty);
        var search = new KeysetPageQuery(command);
        search.Paging.Add(new SortKey("m.step", true, SortValueType.Integer, false), "step");
        search.Paging.Add(new SortKey("m.timestamp", true, SortValueType.Integer, false), "timestamp");
        search.Paging.Add(new SortKey("m.is_nan", true, SortValueType.Integer, false), "is_nan");
        search.Paging.Add(new SortKey("m.value", true, SortValueType.Real, false), "value");

        search.Where($"m.run_uuid = {command.Bind(runId)} AND m.key = {command.Bind(key)}");
        return await search.ReadPageAsync(MetricColumns, "metrics m", pageToken, maxResults, reader => ReadMetric(reader), cancellationToken);
    }

    public async Task<IReadOnlyList<RunMetric>> GetMetricHistoryBulkIntervalAsync(IReadOnlyList<string> runIds, string key, long? startStep, long? endStep, int maxResults, CancellationToken cancellationToken)
    {
        await using var connection = await _dialect.OpenConnectionAsync(cancellationToken);
        var steps = new List<long>();
        await using (var command = connection.CreateCommand(null, string.Empty))
        {
            command.CommandText =
                $"SELECT DISTINCT step FROM metrics WHERE run_uuid IN ({BindList(command, runIds)}) AND key = {command.Bind(key)}" +
                (startStep is null ? string.Empty : $" AND step >= {command.Bind(startStep.Value)}") +
                (endStep is null ? string.Empty : $" AND step <= {command.Bind(endStep.Value)}") +
                " ORDER BY step";
            await using var reader = await command.ExecuteReaderAsync(cancellationToken);
            while (await reader.ReadAsync(cancellationToken))
            {
                steps.Add(reader.GetInt64(0));
            }
        }

        var sampled = SampleSteps(steps, maxResults);
        var byRun = new Dictionary<string, List<Metric>>(StringComparer.Ordinal);
        foreach (var chunk in sampled.Chunk(_dialect.MaxListParameters))
        {
            await using var command = connection.CreateCommand(null, string.Empty);
            command.CommandText =
                $"SELECT m.run_uuid, {MetricColumns} FROM metrics m " +
                $"WHERE m.run_uuid IN ({BindList(command, runIds)}) AND m.key = {command.Bind(key)} " +
                $"AND m.step IN ({string.Join(", ", chunk.Select(step => command.Bind(step)))})";
            await using var reader = await command.ExecuteReaderAsync(cancellationToken);
            while (await reader.ReadAsync(cancellationToken))
            {
                var runId = reader.GetString(0);
                if (!byRun.TryGetValue(runId, out var list))
                {
                    byRun[runId] = list = [];
                }

                list.Add(ReadMetric(reader, 1));
            }
        }

        // Runs keep the order of the request, and points are ordered by step, then timestamp.
        return runIds
            .Distinct(StringComparer.Ordinal)
            .SelectMany(runId => (byRun.GetValueOrDefault(runId) ?? [])
                .OrderBy(metric => metric.Step)
                .ThenBy(metric => metric.Timestamp)
                .Select(metric => new RunMetric(runId, metric)))
            .ToList();
    }

    /// <summary>Picks up to <paramref name="maxResults"/> evenly spaced steps from sorted <paramref name="steps"/>, keeping the first and the last.</summary>
    internal static IReadOnlyList<long> SampleSteps(IReadOnlyList<long> steps, int maxResults)
    {
        if (steps.Count <= maxResults)
        {
            return steps;
        }

        if (maxResults == 1)
        {
            return [steps[0]];
        }

        var sampled = new SortedSet<long>();
        for (var i = 0; i < maxResults; i++)
        {
            var index = (int)Math.Round(i * (steps.Count - 1) / (double)(maxResults - 1));
            sampled.Add(steps[index]);
        }

        return sampled.ToList();
    }

    private const string MetricColumns = "m.key, m.value, m.timestamp, m.step, m.is_nan, m.model_id, m.dataset_name, m.dataset_digest";

    /// <summary>Reads the <see cref="MetricColumns"/> that start at <paramref name="offset"/>.</summary>
    private static Metric ReadMetric(System.Data.Common.DbDataReader reader, int offset = 0) => new(
        reader.GetString(offset),
        reader.GetInt32(offset + 4) == 1 ? double.NaN : reader.GetDouble(offset + 1),
        reader.GetInt64(offset + 2),
        reader.GetInt64(offset + 3),
        reader.GetNullableString(offset + 5),
        reader.GetNullableString(offset + 6),
        reader.GetNullableString(offset + 7));
}
