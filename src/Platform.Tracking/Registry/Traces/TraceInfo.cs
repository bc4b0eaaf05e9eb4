using Platform.Tracking.Model;

namespace Platform.Tracking.Registry.Traces;

/// <summary>
/// MLflow 3's TraceInfoV3 for a trace stored in an experiment. Times are Unix milliseconds; assessments are kept as
/// the JSON objects that clients send, because their values are free-form JSON.
/// </summary>
public sealed record TraceInfo(
    string TraceId,
    string ExperimentId,
    string? ClientRequestId,
    long RequestTime,
    long? ExecutionDuration,
    string State,
    string? RequestPreview,
    string? ResponsePreview,
    IReadOnlyList<KeyValue> Metadata,
    IReadOnlyList<KeyValue> Tags,
    IReadOnlyList<string> Assessments);
