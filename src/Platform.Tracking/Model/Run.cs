namespace Platform.Tracking.Model;

/// <summary>A run with its latest metrics, params, tags and dataset inputs.</summary>
public sealed record Run(
    RunInfo Info,
    IReadOnlyList<Metric> Metrics,
    IReadOnlyList<KeyValue> Params,
    IReadOnlyList<KeyValue> Tags,
    IReadOnlyList<DatasetInput> Inputs);
