using System.Globalization;
using System.Text;

namespace Platform.Benchmarks.Tracking;

/// <summary>Results of the tracking benchmark on one backend store.</summary>
internal sealed record BackendResult(string Backend, IReadOnlyList<LatencySummary> Operations, IngestResult Ingest);

/// <summary>Formats the tracking benchmark results as Markdown tables.</summary>
internal static class TrackingReport
{
    public static string Format(
        IReadOnlyList<BackendResult> results, TrackingBenchmarkSettings settings, MachineInfo machine, DateTimeOffset date, string commandLine, double? loadBefore)
    {
        var text = new StringBuilder();
        text.AppendLine("## Tracking server (`tracking`)");
        text.AppendLine();
        text.AppendLine(CultureInfo.InvariantCulture, $"- Command: `{commandLine}`");
        text.AppendLine(CultureInfo.InvariantCulture, $"- Date: {date:yyyy-MM-dd HH:mm} UTC");
        text.AppendLine(CultureInfo.InvariantCulture, $"- Machine: {machine}");
        if (loadBefore is { } load)
        {
            // Other jobs on the machine inflate latencies, so the load before the run is part of the result.
            text.Append(CultureInfo.InvariantCulture, $"- 1-minute load average before the run: {load:0.00}");
            text.AppendLine(load > machine.ProcessorCount
                ? ", above the CPU count, so other jobs competed for the CPUs and the latencies below are inflated."
                : ".");
        }

        text.AppendLine(string.Create(
            CultureInfo.InvariantCulture,
            $"- Method (FastTrackML's k6 operations): {settings.Clients} concurrent clients run {settings.Iterations} iterations each. ") +
            "An iteration creates a run, then logs metric batches of 10 keys × 4 steps (40 points) and 500 keys × 2 steps (1000 points) " +
            "and param batches of 10 and 100. It then searches runs (`metrics.metric10_1 > 1`, 10 results) and experiments " +
            "(`name LIKE ...`, 10 results) and reads one metric history. " +
            "The server runs as a child process on the same machine, so clients and server share the CPUs. Requests go through the C# SDK with retries off.");
        text.AppendLine("- Reference columns are published means from FastTrackML's benchmark, measured on other hardware: context, not a like-for-like comparison.");
        text.AppendLine();

        text.Append("| operation |");
        foreach (var result in results)
        {
            text.Append(CultureInfo.InvariantCulture, $" {result.Backend} mean | {result.Backend} p50 | {result.Backend} p95 |");
        }

        text.AppendLine(" MLflow 2.17 mean | FastTrackML mean |");
        text.Append("| --- |");
        text.Append(string.Concat(Enumerable.Repeat(" ---: | ---: | ---: |", results.Count)));
        text.AppendLine(" ---: | ---: |");
        foreach (var operation in TrackingOperations.All)
        {
            text.Append(CultureInfo.InvariantCulture, $"| {operation} |");
            foreach (var result in results)
            {
                var summary = result.Operations.Single(s => s.Operation == operation);
                text.Append(CultureInfo.InvariantCulture, $" {Ms(summary.Mean)} | {Ms(summary.P50)} | {Ms(summary.P95)} |");
            }

            var reference = TrackingOperations.ReferenceMeans[operation];
            text.AppendLine(CultureInfo.InvariantCulture, $" {reference.Mlflow:0} | {reference.FastTrackMl:0} |");
        }

        text.AppendLine();
        text.AppendLine("All latencies are in milliseconds.");
        var errors = results.SelectMany(r => r.Operations.Where(o => o.Errors > 0).Select(o => $"{r.Backend} {o.Operation}: {o.Errors} failed of {o.Count + o.Errors} (first: {o.FirstError})")).ToList();
        text.AppendLine(errors.Count == 0 ? "Every request succeeded." : "Failed requests: " + string.Join("; ", errors));
        text.AppendLine();

        text.AppendLine(CultureInfo.InvariantCulture, $"Sustained ingest: {settings.IngestWriters} writers, each on its own run, send 1000-point `runs/log-batch` requests back to back for {settings.IngestSeconds} s.");
        text.AppendLine();
        text.AppendLine("| backend | writers | seconds | points accepted | points/s | mean batch ms | failed requests |");
        text.AppendLine("| --- | ---: | ---: | ---: | ---: | ---: | ---: |");
        foreach (var result in results)
        {
            var ingest = result.Ingest;
            text.AppendLine(CultureInfo.InvariantCulture,
                $"| {result.Backend} | {ingest.Writers} | {ingest.Seconds:0.0} | {ingest.Points} | {ingest.PointsPerSecond:0} | {Ms(ingest.MeanBatchMilliseconds)} | {ingest.Errors} |");
        }

        return text.ToString();
    }

    private static string Ms(double value) => double.IsNaN(value) ? "n/a" : value.ToString(value < 10 ? "0.00" : "0.0", CultureInfo.InvariantCulture);
}
