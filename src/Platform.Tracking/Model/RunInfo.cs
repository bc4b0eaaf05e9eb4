namespace Platform.Tracking.Model;

/// <summary>The run attributes MLflow returns as <c>run.info</c>. Times are milliseconds since the Unix epoch.</summary>
public sealed record RunInfo(
    string RunId,
    string RunName,
    string ExperimentId,
    string UserId,
    string Status,
    long StartTime,
    long? EndTime,
    string ArtifactUri,
    string LifecycleStage);
