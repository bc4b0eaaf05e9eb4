namespace Platform.Tracking.Model;

/// <summary>A run with its latest metrics, params, tags, dataset and model inputs, and model outputs.</summary>
public sealed record Run(
    RunInfo Info,
    IReadOnlyList<Metric> Metrics,
    IReadOnlyList<KeyValue> Params,
    IReadOnlyList<KeyValue> Tags,
    IReadOnlyList<DatasetInput> Inputs,
    IReadOnlyList<ModelInput> ModelInputs,
    IReadOnlyList<RunModelOutput> ModelOutputs);
