using Platform.Tracking.Search;

namespace Platform.Tracking.Registry.LoggedModels;

/// <summary>A checked logged-models/search request; order entries name an attribute and a direction.</summary>
public sealed record LoggedModelSearchQuery(
    IReadOnlyList<string> ExperimentIds,
    IReadOnlyList<FilterClause> Filter,
    IReadOnlyList<OrderByClause> OrderBy,
    int MaxResults,
    string? PageToken);
