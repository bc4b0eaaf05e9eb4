namespace Platform.Tracking.Model;

/// <summary>The validated fields of a runs/update request. Null fields stay unchanged.</summary>
public sealed record RunUpdate(string RunId, string? Status, long? EndTime, string? RunName);
