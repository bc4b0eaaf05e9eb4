namespace Platform.Tracking.Model;

/// <summary>A dataset linked to a run, with the input tags (for example <c>mlflow.data.context</c>).</summary>
public sealed record DatasetInput(IReadOnlyList<KeyValue> Tags, Dataset Dataset);
