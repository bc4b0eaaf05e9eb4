namespace Platform.Tracking.Search;

/// <summary>One order_by entry, for example <c>metrics.loss DESC</c>.</summary>
public sealed record OrderByClause(Identifier Identifier, bool Ascending);
