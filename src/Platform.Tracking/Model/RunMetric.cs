namespace Platform.Tracking.Model;

/// <summary>A metric point together with the run it belongs to, as get-history-bulk-interval returns it.</summary>
public sealed record RunMetric(string RunId, Metric Metric);
