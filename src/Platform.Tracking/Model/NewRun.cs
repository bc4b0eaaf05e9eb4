namespace Platform.Tracking.Model;

/// <summary>The validated fields of a runs/create request.</summary>
public sealed record NewRun(string ExperimentId, string UserId, string RunName, long StartTime, IReadOnlyList<KeyValue> Tags);
