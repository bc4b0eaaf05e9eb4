namespace Platform.Training;

/// <summary>
/// Hooks that the <see cref="TrainingEngine"/> calls in order of registration. A callback stops
/// training with <see cref="TrainingContext.RequestStop"/>.
/// </summary>
public interface ITrainingCallback
{
    /// <summary>Called once before the first epoch.</summary>
    ValueTask OnTrainingStartAsync(TrainingContext context, CancellationToken cancellationToken) => ValueTask.CompletedTask;

    /// <summary>Called after every epoch with that epoch's metrics.</summary>
    ValueTask OnEpochEndAsync(TrainingContext context, EpochMetrics metrics, CancellationToken cancellationToken) => ValueTask.CompletedTask;

    /// <summary>Called after the engine wrote a checkpoint.</summary>
    ValueTask OnCheckpointAsync(TrainingContext context, TrainingCheckpoint checkpoint, CancellationToken cancellationToken) => ValueTask.CompletedTask;

    /// <summary>Called once after the last epoch, also when a callback stopped training early.</summary>
    ValueTask OnTrainingEndAsync(TrainingContext context, TrainingResult result, CancellationToken cancellationToken) => ValueTask.CompletedTask;
}
