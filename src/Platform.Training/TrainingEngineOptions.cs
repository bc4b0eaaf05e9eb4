namespace Platform.Training;

/// <summary>Settings of the epoch loop.</summary>
public sealed class TrainingEngineOptions
{
    /// <summary>The maximum number of epochs.</summary>
    public int MaxEpochs { get; set; } = 15;

    /// <summary>Writes a checkpoint every this many epochs; 0 writes none.</summary>
    public int CheckpointInterval { get; set; }
}
