namespace Platform.Tracking.Search;

/// <summary>A parsed <c>type.key</c> identifier such as <c>metrics.loss</c> or <c>tags."user-name"</c>.</summary>
public sealed record Identifier(EntityKind Kind, string Key);
