using Platform.Tracking.Model;

namespace Platform.Tracking.Search;

/// <summary>A checked runs/search request.</summary>
public sealed record RunSearchQuery(
    IReadOnlyList<string> ExperimentIds,
    IReadOnlyList<FilterClause> Filter,
    IReadOnlyList<OrderByClause> OrderBy,
    ViewType ViewType,
    int MaxResults,
    string? PageToken);
