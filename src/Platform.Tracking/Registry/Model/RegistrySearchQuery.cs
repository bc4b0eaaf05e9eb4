using Platform.Tracking.Search;

namespace Platform.Tracking.Registry.Model;

/// <summary>A checked registered-models/search or model-versions/search request.</summary>
public sealed record RegistrySearchQuery(
    IReadOnlyList<FilterClause> Filter,
    IReadOnlyList<OrderByClause> OrderBy,
    int MaxResults,
    string? PageToken);
