namespace Platform.Training;

/// <summary>A checkpoint file written after an epoch.</summary>
public sealed record TrainingCheckpoint(int Epoch, string Path);
