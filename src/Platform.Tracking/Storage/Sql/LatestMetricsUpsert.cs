using System.Data.Common;
using Platform.Tracking.Model;

namespace Platform.Tracking.Storage.Sql;

/// <summary>Moves each key's <c>latest_metrics</c> row forward with multi-row upserts in SQL that SQLite and PostgreSQL share.</summary>
internal static class LatestMetricsUpsert
{
    // Each row binds nine values, so 500 rows stay far below SQLite's and PostgreSQL's parameter limits.
    private const int LatestMetricRowsPerStatement = 500;

    public static async Task ExecuteAsync(DbConnection connection, DbTransaction transaction, string runId, IReadOnlyList<Metric> metrics, CancellationToken cancellationToken)
    {
        // Reduce to one candidate per key first: an upsert may not touch the same row twice in one statement.
        var latest = new Dictionary<string, Metric>(StringComparer.Ordinal);
        foreach (var metric in metrics)
        {
            if (!latest.TryGetValue(metric.Key, out var current) || metric.IsNewerThan(current))
            {
                latest[metric.Key] = metric;
            }
        }

        // Sorted keys make concurrent upserts lock rows in one order, which avoids deadlocks between them.
        foreach (var chunk in latest.Values.OrderBy(metric => metric.Key, StringComparer.Ordinal).Chunk(LatestMetricRowsPerStatement))
        {
            await using var command = connection.CreateCommand(transaction, string.Empty);
            var run = command.Bind(runId);
            var values = string.Join(", ", chunk.Select(metric =>
            {
                var isNan = double.IsNaN(metric.Value);
                return $"({run}, {command.Bind(metric.Key)}, {command.Bind(metric.Step)}, {command.Bind(metric.Timestamp)}, " +
                    $"{command.Bind(isNan ? 0d : metric.Value)}, {command.Bind(isNan ? 1 : 0)}, " +
                    $"{command.Bind(metric.ModelId)}, {command.Bind(metric.DatasetName)}, {command.Bind(metric.DatasetDigest)})";
            }));

            // The WHERE clause applies MLflow's rule: larger step, then larger timestamp, then larger value wins.
            command.CommandText =
                $"INSERT INTO latest_metrics (run_uuid, key, step, timestamp, value, is_nan, model_id, dataset_name, dataset_digest) VALUES {values} " +
                "ON CONFLICT (run_uuid, key) DO UPDATE SET step = excluded.step, timestamp = excluded.timestamp, " +
                "value = excluded.value, is_nan = excluded.is_nan, model_id = excluded.model_id, " +
                "dataset_name = excluded.dataset_name, dataset_digest = excluded.dataset_digest " +
                "WHERE excluded.step > latest_metrics.step OR (excluded.step = latest_metrics.step AND " +
                "(excluded.timestamp > latest_metrics.timestamp OR (excluded.timestamp = latest_metrics.timestamp AND excluded.value > latest_metrics.value)))";
            await command.ExecuteNonQueryAsync(cancellationToken);
        }
    }
}
