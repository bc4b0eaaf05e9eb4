using Platform.Tracking.Model;

namespace Platform.Tracking.Registry.Model;

/// <summary>
/// One version of a registered model. <see cref="StorageLocation"/> is the resolved artifact URI of
/// <see cref="Source"/>, which get-download-uri returns; timestamps are Unix milliseconds.
/// </summary>
public sealed record ModelVersion(
    string Name,
    long Version,
    long CreationTimestamp,
    long LastUpdatedTimestamp,
    string? UserId,
    string CurrentStage,
    string? Description,
    string Source,
    string StorageLocation,
    string? RunId,
    string? RunLink,
    string Status,
    string? StatusMessage,
    string? ModelId,
    IReadOnlyList<KeyValue> Tags,
    IReadOnlyList<string> Aliases);
