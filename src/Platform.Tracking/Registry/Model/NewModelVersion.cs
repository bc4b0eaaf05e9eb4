using Platform.Tracking.Model;

namespace Platform.Tracking.Registry.Model;

/// <summary>The fields of a model version to create; the store assigns the version number.</summary>
public sealed record NewModelVersion(
    string Name,
    string Source,
    string StorageLocation,
    string? RunId,
    string? RunLink,
    string? Description,
    string? UserId,
    string? ModelId,
    IReadOnlyList<KeyValue> Tags);
