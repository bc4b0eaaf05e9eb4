using Platform.Tracking.Search;

namespace Platform.Tracking.Registry.Traces;

/// <summary>A checked traces/search request over one or more experiments.</summary>
public sealed record TraceSearchQuery(
    IReadOnlyList<string> ExperimentIds,
    IReadOnlyList<FilterClause> Filter,
    IReadOnlyList<OrderByClause> OrderBy,
    int MaxResults,
    string? PageToken);
