using System.Diagnostics;

namespace Platform.Training;

/// <summary>
/// Runs the epoch loop of any <see cref="ITrainable"/>: one epoch, then the callbacks, then an
/// optional checkpoint, until the maximum epoch count or a stop request.
/// </summary>
public sealed class TrainingEngine
{
    private readonly TrainingEngineOptions _options;
    private readonly IReadOnlyList<ITrainingCallback> _callbacks;

    public TrainingEngine(TrainingEngineOptions options, IEnumerable<ITrainingCallback> callbacks)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(callbacks);
        if (options.MaxEpochs <= 0)
        {
            throw new ArgumentOutOfRangeException(
                nameof(options), options.MaxEpochs, "MaxEpochs must be at least 1.");
        }

        if (options.CheckpointInterval < 0)
        {
            throw new ArgumentOutOfRangeException(
                nameof(options), options.CheckpointInterval, "CheckpointInterval must be 0 (no checkpoints) or positive.");
        }

        _options = options;
        _callbacks = [.. callbacks];
    }

    /// <summary>Trains <paramref name="trainable"/> and returns the run's history.</summary>
    public async Task<TrainingResult> RunAsync(ITrainable trainable, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(trainable);
        var context = new TrainingContext(trainable, _options.MaxEpochs);

        foreach (var callback in _callbacks)
        {
            await callback.OnTrainingStartAsync(context, cancellationToken).ConfigureAwait(false);
        }

        for (var epoch = 1; epoch <= _options.MaxEpochs && !context.StopRequested; epoch++)
        {
            cancellationToken.ThrowIfCancellationRequested();
            context.Epoch = epoch;
            context.ModelEpoch = epoch;

            var stopwatch = Stopwatch.StartNew();
            var values = await trainable.RunEpochAsync(epoch, cancellationToken).ConfigureAwait(false);
            var metrics = new EpochMetrics(epoch, values, stopwatch.Elapsed);
            context.AddEpoch(metrics);

            foreach (var callback in _callbacks)
            {
                await callback.OnEpochEndAsync(context, metrics, cancellationToken).ConfigureAwait(false);
            }

            // A stopped run's final parameters may be a restored snapshot, so no periodic checkpoint is written for it.
            if (!context.StopRequested && _options.CheckpointInterval > 0 && epoch % _options.CheckpointInterval == 0)
            {
                var path = await trainable.SaveCheckpointAsync(epoch, cancellationToken).ConfigureAwait(false);
                var checkpoint = new TrainingCheckpoint(epoch, path);
                foreach (var callback in _callbacks)
                {
                    await callback.OnCheckpointAsync(context, checkpoint, cancellationToken).ConfigureAwait(false);
                }
            }
        }

        var result = new TrainingResult(context.History.Count, context.ModelEpoch, context.StopReason, context.History);
        foreach (var callback in _callbacks)
        {
            await callback.OnTrainingEndAsync(context, result, cancellationToken).ConfigureAwait(false);
        }

        return result;
    }
}
