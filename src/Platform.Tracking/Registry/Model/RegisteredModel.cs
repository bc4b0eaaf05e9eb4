using Platform.Tracking.Model;

namespace Platform.Tracking.Registry.Model;

/// <summary>A registered model with its latest version per stage, its tags and its aliases; timestamps are Unix milliseconds.</summary>
public sealed record RegisteredModel(
    string Name,
    long CreationTimestamp,
    long LastUpdatedTimestamp,
    string? Description,
    IReadOnlyList<ModelVersion> LatestVersions,
    IReadOnlyList<KeyValue> Tags,
    IReadOnlyList<RegisteredModelAlias> Aliases);
