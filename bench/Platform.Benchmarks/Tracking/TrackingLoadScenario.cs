using System.Globalization;
using Platform.Tracking.Client;

namespace Platform.Benchmarks.Tracking;

/// <summary>
/// The FastTrackML benchmark method with concurrent clients, each in an experiment of its own. One iteration creates a run,
/// logs metric batches of 10 keys (40 points) and 500 keys (1000 points) and param batches of 10 and 100. It then searches
/// runs and experiments and reads one metric history. Every request is timed.
/// </summary>
internal sealed class TrackingLoadScenario(TrackingClient client, int clients, int iterations)
{
    public async Task<LatencyRecorder> RunAsync(CancellationToken cancellationToken)
    {
        var recorder = new LatencyRecorder();
        var prefix = $"bench_{Guid.NewGuid():N}"[..14];
        var experimentIds = new string[clients];
        for (var i = 0; i < clients; i++)
        {
            experimentIds[i] = await client.Experiments.CreateAsync($"{prefix}_{i}", cancellationToken: cancellationToken);
        }

        var workers = Enumerable.Range(0, clients)
            .Select(i => Task.Run(() => RunClientAsync(recorder, experimentIds[i], prefix, cancellationToken), cancellationToken));
        await Task.WhenAll(workers);
        return recorder;
    }

    private async Task RunClientAsync(LatencyRecorder recorder, string experimentId, string prefix, CancellationToken cancellationToken)
    {
        for (var iteration = 0; iteration < iterations && !cancellationToken.IsCancellationRequested; iteration++)
        {
            var tags = new Dictionary<string, string> { ["mlflow.user"] = "bench" };
            var run = await recorder.MeasureAsync(TrackingOperations.CreateRun, () => client.Runs.CreateAsync(experimentId, tags: tags, cancellationToken: cancellationToken));
            if (run is null)
            {
                continue;
            }

            var runId = run.Info.RunId;
            var now = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds();
            await recorder.MeasureAsync(TrackingOperations.LogMetricBatch10, () => client.Runs.LogBatchAsync(runId, Metrics("metric10", 10, 4, now), cancellationToken: cancellationToken));
            await recorder.MeasureAsync(TrackingOperations.LogMetricBatch500, () => client.Runs.LogBatchAsync(runId, Metrics("metric500", 500, 2, now), cancellationToken: cancellationToken));
            await recorder.MeasureAsync(TrackingOperations.LogParamBatch10, () => client.Runs.LogBatchAsync(runId, parameters: Params("param10", 10), cancellationToken: cancellationToken));
            await recorder.MeasureAsync(TrackingOperations.LogParamBatch100, () => client.Runs.LogBatchAsync(runId, parameters: Params("param100", 100), cancellationToken: cancellationToken));
            await recorder.MeasureAsync(TrackingOperations.SearchRuns, () => client.Runs.SearchAsync([experimentId], "metrics.metric10_1 > 1", maxResults: 10, cancellationToken: cancellationToken));
            await recorder.MeasureAsync(TrackingOperations.SearchExperiments, () => client.Experiments.SearchAsync($"name LIKE '{prefix}%'", maxResults: 10, cancellationToken: cancellationToken));
            await recorder.MeasureAsync(TrackingOperations.MetricHistory, () => client.Runs.GetMetricHistoryAsync(runId, "metric10_1", cancellationToken));
            await recorder.MeasureAsync("UpdateRun", () => client.Runs.UpdateAsync(runId, RunStatus.Finished, DateTimeOffset.UtcNow.ToUnixTimeMilliseconds(), cancellationToken: cancellationToken));
        }
    }

    // Keys use '_' rather than FastTrackML's '-' so that search filters need no quoting.
    private static List<Metric> Metrics(string prefix, int keys, int steps, long timestamp)
    {
        var metrics = new List<Metric>(keys * steps);
        for (var id = 1; id <= keys; id++)
        {
            for (var step = 1; step <= steps; step++)
            {
                metrics.Add(new Metric($"{prefix}_{id}", id * step * Random.Shared.NextDouble(), timestamp, step));
            }
        }

        return metrics;
    }

    private static List<Param> Params(string prefix, int count) =>
        Enumerable.Range(1, count).Select(id => new Param($"{prefix}_{id}", (id * Random.Shared.NextDouble()).ToString(CultureInfo.InvariantCulture))).ToList();
}
