namespace Platform.Tracking.Model;

/// <summary>One page of results and the opaque token for the next page, or null on the last page.</summary>
public sealed record Page<T>(IReadOnlyList<T> Items, string? NextPageToken);
