namespace Platform.Tracking.Search;

/// <summary>One comparison of a filter, for example <c>metrics.loss &lt; 0.5</c>. <see cref="Comparator"/> is upper case.</summary>
public sealed record FilterClause(Identifier Identifier, string Comparator, FilterValue Value);
