using Platform.Tracking.Model;

namespace Platform.Tracking.Registry.LoggedModels;

/// <summary>
/// An MLflow 3 logged model (LoggedModelInfo plus its params and the metric points logged with its model id);
/// timestamps are Unix milliseconds.
/// </summary>
public sealed record LoggedModel(
    string ModelId,
    string ExperimentId,
    string Name,
    string ArtifactUri,
    string Status,
    string? StatusMessage,
    string? ModelType,
    string? SourceRunId,
    long CreationTimestamp,
    long LastUpdatedTimestamp,
    IReadOnlyList<KeyValue> Params,
    IReadOnlyList<KeyValue> Tags,
    IReadOnlyList<RunMetric> Metrics);
