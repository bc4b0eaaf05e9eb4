namespace Platform.Tracking.Model;

/// <summary>A dataset description as MLflow's log-inputs sends it. Schema and profile are optional JSON text.</summary>
public sealed record Dataset(string Name, string Digest, string SourceType, string Source, string? Schema, string? Profile);
