namespace Platform.Tracking.Model;

/// <summary>An MLflow experiment. Times are milliseconds since the Unix epoch.</summary>
public sealed record Experiment(
    string ExperimentId,
    string Name,
    string ArtifactLocation,
    string LifecycleStage,
    long CreationTime,
    long LastUpdateTime,
    IReadOnlyList<KeyValue> Tags);
