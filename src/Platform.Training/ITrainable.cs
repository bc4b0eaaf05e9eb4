namespace Platform.Training;

/// <summary>
/// A model that the <see cref="TrainingEngine"/> can train one epoch at a time.
/// </summary>
public interface ITrainable
{
    /// <summary>Runs one epoch (numbered from 1) and returns its metrics by name.</summary>
    ValueTask<IReadOnlyDictionary<string, double>> RunEpochAsync(int epoch, CancellationToken cancellationToken);

    /// <summary>
    /// Copies the current parameters into a snapshot. When <paramref name="reuse"/> is a snapshot
    /// that this trainable created earlier, its storage is overwritten instead of allocating anew.
    /// </summary>
    ITrainingSnapshot CaptureSnapshot(ITrainingSnapshot? reuse);

    /// <summary>Replaces the current parameters with those of a snapshot from <see cref="CaptureSnapshot"/>.</summary>
    void RestoreSnapshot(ITrainingSnapshot snapshot);

    /// <summary>Writes a checkpoint of the current parameters and returns its file path.</summary>
    ValueTask<string> SaveCheckpointAsync(int epoch, CancellationToken cancellationToken);
}
