using Platform.Tracking.Model;

namespace Platform.Tracking.Search;

/// <summary>A checked experiments/search request.</summary>
public sealed record ExperimentSearchQuery(
    IReadOnlyList<FilterClause> Filter,
    IReadOnlyList<OrderByClause> OrderBy,
    ViewType ViewType,
    int MaxResults,
    string? PageToken);
