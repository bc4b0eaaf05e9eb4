using Platform.Tracking.Model;

namespace Platform.Tracking.Registry.LoggedModels;

/// <summary>Stores MLflow 3 logged models in the registry's tables; unknown ids are RESOURCE_DOES_NOT_EXIST.</summary>
public interface ILoggedModelStore
{
    /// <summary>Creates a PENDING model whose artifact_uri is under <paramref name="experimentArtifactLocation"/>.</summary>
    Task<LoggedModel> CreateAsync(string experimentId, string experimentArtifactLocation, string? name, string? modelType, string? sourceRunId, IReadOnlyList<KeyValue> parameters, IReadOnlyList<KeyValue> tags, CancellationToken cancellationToken);

    Task<LoggedModel> GetAsync(string modelId, CancellationToken cancellationToken);

    Task DeleteAsync(string modelId, CancellationToken cancellationToken);

    Task<LoggedModel> FinalizeAsync(string modelId, string status, CancellationToken cancellationToken);

    Task LogParamsAsync(string modelId, IReadOnlyList<KeyValue> parameters, CancellationToken cancellationToken);

    Task SetTagsAsync(string modelId, IReadOnlyList<KeyValue> tags, CancellationToken cancellationToken);

    Task DeleteTagAsync(string modelId, string key, CancellationToken cancellationToken);

    Task<Page<LoggedModel>> SearchAsync(LoggedModelSearchQuery query, CancellationToken cancellationToken);

    /// <summary>Records that <paramref name="runId"/> produced each model at its step; every model must exist.</summary>
    Task LogOutputsAsync(string runId, IReadOnlyList<RunModelOutput> outputs, CancellationToken cancellationToken);
}
