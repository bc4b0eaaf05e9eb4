namespace Platform.Tracking.Registry.Model;

/// <summary>A named pointer such as <c>champion</c> from a registered model to one of its versions.</summary>
public sealed record RegisteredModelAlias(string Alias, long Version);
