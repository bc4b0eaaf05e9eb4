using System.Diagnostics;
using Platform.Tracking.Client;

namespace Platform.Benchmarks.Tracking;

/// <summary>Result of <see cref="SustainedIngest"/>: metric points the server accepted per second over the whole window.</summary>
internal sealed record IngestResult(int Writers, double Seconds, long Points, long Requests, int Errors, double MeanBatchMilliseconds)
{
    public double PointsPerSecond => Points / Seconds;
}

/// <summary>Several writers, each on its own run, send full 1000-point log-batch requests back to back for a fixed time.</summary>
internal sealed class SustainedIngest(TrackingClient client, int writers, TimeSpan duration)
{
    private const int PointsPerBatch = MlflowLimits.MaxMetricsPerBatch;
    private const int KeysPerRun = 50;

    public async Task<IngestResult> RunAsync(CancellationToken cancellationToken)
    {
        var experimentId = await client.Experiments.CreateAsync($"ingest_{Guid.NewGuid():N}", cancellationToken: cancellationToken);
        var recorder = new LatencyRecorder();
        var stopwatch = Stopwatch.StartNew();
        var deadline = stopwatch.Elapsed + duration;
        var counts = await Task.WhenAll(Enumerable.Range(0, writers).Select(_ => Task.Run(async () =>
        {
            var run = await client.Runs.CreateAsync(experimentId, cancellationToken: cancellationToken);
            long accepted = 0;
            long step = 0;
            while (stopwatch.Elapsed < deadline && !cancellationToken.IsCancellationRequested)
            {
                var batch = new List<Metric>(PointsPerBatch);
                var timestamp = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds();
                for (var i = 0; i < PointsPerBatch; i++)
                {
                    batch.Add(new Metric($"ingest_{i % KeysPerRun}", Random.Shared.NextDouble(), timestamp, step + (i / KeysPerRun)));
                }

                step += PointsPerBatch / KeysPerRun;
                if (await recorder.MeasureAsync("LogBatch1000", () => client.Runs.LogBatchAsync(run.Info.RunId, batch, cancellationToken: cancellationToken)))
                {
                    accepted += PointsPerBatch;
                }
            }

            return accepted;
        }, cancellationToken)));
        var elapsed = stopwatch.Elapsed.TotalSeconds;
        var summary = recorder.Summarize("LogBatch1000");
        return new IngestResult(writers, elapsed, counts.Sum(), summary.Count + summary.Errors, summary.Errors, summary.Mean);
    }
}
