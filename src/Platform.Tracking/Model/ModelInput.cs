namespace Platform.Tracking.Model;

/// <summary>A logged model that a run used as an input (MLflow 3's ModelInput of runs/log-inputs).</summary>
public sealed record ModelInput(string ModelId);
