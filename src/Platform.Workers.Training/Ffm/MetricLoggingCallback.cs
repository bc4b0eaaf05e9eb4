using Platform.Tracking.Client;
using Platform.Training;

namespace Platform.Workers.Training.Ffm;

/// <summary>Buffers every epoch's metrics in the run with step = epoch; the SDK sends them in batches.</summary>
internal sealed class MetricLoggingCallback(ActiveRun run) : ITrainingCallback
{
    public ValueTask OnEpochEndAsync(TrainingContext context, EpochMetrics metrics, CancellationToken cancellationToken)
    {
        run.LogMetrics(metrics.Values, step: metrics.Epoch);
        return ValueTask.CompletedTask;
    }
}
