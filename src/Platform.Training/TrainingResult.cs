namespace Platform.Training;

/// <summary>
/// The outcome of <see cref="TrainingEngine.RunAsync"/>. <see cref="FinalEpoch"/> is the epoch whose
/// parameters the model contains at the end: the last epoch run, or the best one when early stopping
/// restored it.
/// </summary>
public sealed record TrainingResult(
    int EpochsRun,
    int FinalEpoch,
    string? StopReason,
    IReadOnlyList<EpochMetrics> History);
