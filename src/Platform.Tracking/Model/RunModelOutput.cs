namespace Platform.Tracking.Model;

/// <summary>A logged model that a run produced, at the step it was produced (the LoggedModelOutput of runs/outputs).</summary>
public sealed record RunModelOutput(string ModelId, long Step);
