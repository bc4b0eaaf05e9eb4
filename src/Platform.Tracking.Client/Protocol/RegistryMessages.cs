namespace Platform.Tracking.Client;

// Request and response bodies of the MLflow model registry (model_registry.proto, MLflow 2.x).

internal sealed record CreateRegisteredModelRequest(string Name, IReadOnlyList<RegisteredModelTag>? Tags, string? Description);

internal sealed record RegisteredModelResponse(RegisteredModel RegisteredModel);

internal sealed record UpdateRegisteredModelRequest(string Name, string? Description);

internal sealed record RenameRegisteredModelRequest(string Name, string NewName);

internal sealed record RegisteredModelNameRequest(string Name);

internal sealed record SetRegisteredModelTagRequest(string Name, string Key, string Value);

internal sealed record DeleteRegisteredModelTagRequest(string Name, string Key);

internal sealed record SetAliasRequest(string Name, string Alias, string Version);

internal sealed record DeleteAliasRequest(string Name, string Alias);

internal sealed record GetLatestVersionsRequest(string Name, IReadOnlyList<string>? Stages);

internal sealed record ModelVersionsResponse
{
    public IReadOnlyList<ModelVersion> ModelVersions { get; set; } = [];
}

/// <summary>One page of registered models. <see cref="NextPageToken"/> is null on the last page.</summary>
public sealed record SearchRegisteredModelsResponse
{
    public IReadOnlyList<RegisteredModel> RegisteredModels { get; set; } = [];
    public string? NextPageToken { get; init; }
}

/// <summary>One page of model versions. <see cref="NextPageToken"/> is null on the last page.</summary>
public sealed record SearchModelVersionsResponse
{
    public IReadOnlyList<ModelVersion> ModelVersions { get; set; } = [];
    public string? NextPageToken { get; init; }
}

internal sealed record CreateModelVersionRequest(
    string Name, string Source, string? RunId, IReadOnlyList<ModelVersionTag>? Tags, string? RunLink, string? Description);

internal sealed record ModelVersionResponse(ModelVersion ModelVersion);

internal sealed record UpdateModelVersionRequest(string Name, string Version, string? Description);

internal sealed record ModelVersionKeyRequest(string Name, string Version);

internal sealed record SetModelVersionTagRequest(string Name, string Version, string Key, string Value);

internal sealed record DeleteModelVersionTagRequest(string Name, string Version, string Key);

internal sealed record TransitionStageRequest(string Name, string Version, string Stage, bool ArchiveExistingVersions);

internal sealed record DownloadUriResponse(string ArtifactUri);

internal sealed record ErrorResponse(string? ErrorCode = null, string? Message = null);
