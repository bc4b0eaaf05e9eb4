using System.Text.Json.Serialization.Metadata;

namespace Platform.Tracking.Client;

/// <summary>MLflow 2.x model registry calls (<c>/api/2.0/mlflow/registered-models/*</c> and <c>model-versions/*</c>).</summary>
public sealed class ModelRegistryClient
{
    private readonly MlflowTransport _transport;
    private readonly RunsClient _runs;

    internal ModelRegistryClient(MlflowTransport transport, RunsClient runs)
    {
        _transport = transport;
        _runs = runs;
    }

    public async Task<RegisteredModel> CreateRegisteredModelAsync(
        string name, string? description = null, IReadOnlyDictionary<string, string>? tags = null, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        var request = new CreateRegisteredModelRequest(name, tags?.Select(t => new RegisteredModelTag(t.Key, t.Value)).ToList(), description);
        var response = await Send(HttpMethod.Post, "registered-models/create", request, MlflowJsonContext.Default.CreateRegisteredModelRequest, MlflowJsonContext.Default.RegisteredModelResponse, cancellationToken).ConfigureAwait(false);
        return response.RegisteredModel;
    }

    public async Task<RegisteredModel> GetRegisteredModelAsync(string name, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        var response = await _transport.GetJsonAsync("registered-models/get", new QueryParameters().Add("name", name), MlflowJsonContext.Default.RegisteredModelResponse, cancellationToken).ConfigureAwait(false);
        return response.RegisteredModel;
    }

    public Task<SearchRegisteredModelsResponse> SearchRegisteredModelsAsync(
        string? filter = null, int maxResults = 100, IReadOnlyList<string>? orderBy = null, string? pageToken = null, CancellationToken cancellationToken = default)
    {
        var query = new QueryParameters().Add("filter", filter).Add("max_results", maxResults).AddEach("order_by", orderBy).Add("page_token", pageToken);
        return _transport.GetJsonAsync("registered-models/search", query, MlflowJsonContext.Default.SearchRegisteredModelsResponse, cancellationToken);
    }

    public async Task<RegisteredModel> UpdateRegisteredModelAsync(string name, string? description, CancellationToken cancellationToken = default)
    {
        var response = await Send(HttpMethod.Patch, "registered-models/update", new UpdateRegisteredModelRequest(name, description), MlflowJsonContext.Default.UpdateRegisteredModelRequest, MlflowJsonContext.Default.RegisteredModelResponse, cancellationToken).ConfigureAwait(false);
        return response.RegisteredModel;
    }

    public async Task<RegisteredModel> RenameRegisteredModelAsync(string name, string newName, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(newName);
        var response = await Send(HttpMethod.Post, "registered-models/rename", new RenameRegisteredModelRequest(name, newName), MlflowJsonContext.Default.RenameRegisteredModelRequest, MlflowJsonContext.Default.RegisteredModelResponse, cancellationToken).ConfigureAwait(false);
        return response.RegisteredModel;
    }

    public Task DeleteRegisteredModelAsync(string name, CancellationToken cancellationToken = default) =>
        Send(HttpMethod.Delete, "registered-models/delete", new RegisteredModelNameRequest(name), MlflowJsonContext.Default.RegisteredModelNameRequest, MlflowJsonContext.Default.EmptyMessage, cancellationToken);

    public Task SetRegisteredModelTagAsync(string name, string key, string value, CancellationToken cancellationToken = default) =>
        Send(HttpMethod.Post, "registered-models/set-tag", new SetRegisteredModelTagRequest(name, key, value), MlflowJsonContext.Default.SetRegisteredModelTagRequest, MlflowJsonContext.Default.EmptyMessage, cancellationToken);

    public Task DeleteRegisteredModelTagAsync(string name, string key, CancellationToken cancellationToken = default) =>
        Send(HttpMethod.Delete, "registered-models/delete-tag", new DeleteRegisteredModelTagRequest(name, key), MlflowJsonContext.Default.DeleteRegisteredModelTagRequest, MlflowJsonContext.Default.EmptyMessage, cancellationToken);

    /// <summary>Points <paramref name="alias"/> at <paramref name="version"/>, moving it when it already points elsewhere.</summary>
    public Task SetAliasAsync(string name, string alias, string version, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(alias);
        ArgumentException.ThrowIfNullOrWhiteSpace(version);
        return Send(HttpMethod.Post, "registered-models/alias", new SetAliasRequest(name, alias, version), MlflowJsonContext.Default.SetAliasRequest, MlflowJsonContext.Default.EmptyMessage, cancellationToken);
    }

    public Task DeleteAliasAsync(string name, string alias, CancellationToken cancellationToken = default) =>
        Send(HttpMethod.Delete, "registered-models/alias", new DeleteAliasRequest(name, alias), MlflowJsonContext.Default.DeleteAliasRequest, MlflowJsonContext.Default.EmptyMessage, cancellationToken);

    /// <summary>Gets the version an alias points at (<c>get-model-version-by-alias</c>).</summary>
    public async Task<ModelVersion> GetModelVersionByAliasAsync(string name, string alias, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        ArgumentException.ThrowIfNullOrWhiteSpace(alias);
        var response = await _transport.GetJsonAsync("registered-models/alias", new QueryParameters().Add("name", name).Add("alias", alias), MlflowJsonContext.Default.ModelVersionResponse, cancellationToken).ConfigureAwait(false);
        return response.ModelVersion;
    }

    /// <summary>Returns the latest version per stage, restricted to <paramref name="stages"/> when given.</summary>
    public async Task<IReadOnlyList<ModelVersion>> GetLatestVersionsAsync(string name, IReadOnlyList<string>? stages = null, CancellationToken cancellationToken = default)
    {
        var response = await Send(HttpMethod.Post, "registered-models/get-latest-versions", new GetLatestVersionsRequest(name, stages), MlflowJsonContext.Default.GetLatestVersionsRequest, MlflowJsonContext.Default.ModelVersionsResponse, cancellationToken).ConfigureAwait(false);
        return response.ModelVersions;
    }

    /// <summary>Creates a model version from <paramref name="source"/>, an artifact URI or <c>runs:/&lt;run_id&gt;/&lt;path&gt;</c>.</summary>
    public async Task<ModelVersion> CreateModelVersionAsync(
        string name,
        string source,
        string? runId = null,
        string? description = null,
        IReadOnlyDictionary<string, string>? tags = null,
        string? runLink = null,
        CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        ArgumentException.ThrowIfNullOrWhiteSpace(source);
        var request = new CreateModelVersionRequest(name, source, runId, tags?.Select(t => new ModelVersionTag(t.Key, t.Value)).ToList(), runLink, description);
        var response = await Send(HttpMethod.Post, "model-versions/create", request, MlflowJsonContext.Default.CreateModelVersionRequest, MlflowJsonContext.Default.ModelVersionResponse, cancellationToken).ConfigureAwait(false);
        return response.ModelVersion;
    }

    /// <summary>
    /// Creates a model version from the folder <paramref name="artifactPath"/> of a run, with source
    /// <c>runs:/&lt;run_id&gt;/&lt;artifactPath&gt;</c> when <paramref name="useRunsUri"/> is true, otherwise the run's
    /// resolved artifact URI (what MLflow 2.x <c>register_model</c> stores).
    /// </summary>
    public async Task<ModelVersion> CreateModelVersionFromRunAsync(
        string name, string runId, string artifactPath, bool useRunsUri = false, string? description = null, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(runId);
        var path = ArtifactPaths.Normalize(artifactPath, nameof(artifactPath));
        string source;
        if (useRunsUri)
        {
            source = $"runs:/{runId}/{path}";
        }
        else
        {
            var run = await _runs.GetAsync(runId, cancellationToken).ConfigureAwait(false);
            var root = run.Info.ArtifactUri ?? throw new InvalidOperationException($"Run {runId} has no artifact_uri, so no model source can be derived from it.");
            source = path.Length == 0 ? root : $"{root.TrimEnd('/')}/{path}";
        }

        return await CreateModelVersionAsync(name, source, runId, description, cancellationToken: cancellationToken).ConfigureAwait(false);
    }

    public async Task<ModelVersion> GetModelVersionAsync(string name, string version, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        ArgumentException.ThrowIfNullOrWhiteSpace(version);
        var response = await _transport.GetJsonAsync("model-versions/get", new QueryParameters().Add("name", name).Add("version", version), MlflowJsonContext.Default.ModelVersionResponse, cancellationToken).ConfigureAwait(false);
        return response.ModelVersion;
    }

    public Task<SearchModelVersionsResponse> SearchModelVersionsAsync(
        string? filter = null, int maxResults = 1000, IReadOnlyList<string>? orderBy = null, string? pageToken = null, CancellationToken cancellationToken = default)
    {
        var query = new QueryParameters().Add("filter", filter).Add("max_results", maxResults).AddEach("order_by", orderBy).Add("page_token", pageToken);
        return _transport.GetJsonAsync("model-versions/search", query, MlflowJsonContext.Default.SearchModelVersionsResponse, cancellationToken);
    }

    public async Task<ModelVersion> UpdateModelVersionAsync(string name, string version, string? description, CancellationToken cancellationToken = default)
    {
        var response = await Send(HttpMethod.Patch, "model-versions/update", new UpdateModelVersionRequest(name, version, description), MlflowJsonContext.Default.UpdateModelVersionRequest, MlflowJsonContext.Default.ModelVersionResponse, cancellationToken).ConfigureAwait(false);
        return response.ModelVersion;
    }

    public Task DeleteModelVersionAsync(string name, string version, CancellationToken cancellationToken = default) =>
        Send(HttpMethod.Delete, "model-versions/delete", new ModelVersionKeyRequest(name, version), MlflowJsonContext.Default.ModelVersionKeyRequest, MlflowJsonContext.Default.EmptyMessage, cancellationToken);

    public Task SetModelVersionTagAsync(string name, string version, string key, string value, CancellationToken cancellationToken = default) =>
        Send(HttpMethod.Post, "model-versions/set-tag", new SetModelVersionTagRequest(name, version, key, value), MlflowJsonContext.Default.SetModelVersionTagRequest, MlflowJsonContext.Default.EmptyMessage, cancellationToken);

    public Task DeleteModelVersionTagAsync(string name, string version, string key, CancellationToken cancellationToken = default) =>
        Send(HttpMethod.Delete, "model-versions/delete-tag", new DeleteModelVersionTagRequest(name, version, key), MlflowJsonContext.Default.DeleteModelVersionTagRequest, MlflowJsonContext.Default.EmptyMessage, cancellationToken);

    /// <summary>Moves a version to a legacy stage (<c>Staging</c>, <c>Production</c>, <c>Archived</c>, <c>None</c>).</summary>
    public async Task<ModelVersion> TransitionStageAsync(string name, string version, string stage, bool archiveExistingVersions = false, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(stage);
        var response = await Send(HttpMethod.Post, "model-versions/transition-stage", new TransitionStageRequest(name, version, stage, archiveExistingVersions), MlflowJsonContext.Default.TransitionStageRequest, MlflowJsonContext.Default.ModelVersionResponse, cancellationToken).ConfigureAwait(false);
        return response.ModelVersion;
    }

    /// <summary>Returns the artifact URI of a version's files as the server resolves it.</summary>
    public async Task<string> GetDownloadUriAsync(string name, string version, CancellationToken cancellationToken = default)
    {
        var response = await _transport.GetJsonAsync("model-versions/get-download-uri", new QueryParameters().Add("name", name).Add("version", version), MlflowJsonContext.Default.DownloadUriResponse, cancellationToken).ConfigureAwait(false);
        return response.ArtifactUri;
    }

    private Task<TResponse> Send<TRequest, TResponse>(
        HttpMethod method, string endpoint, TRequest request, JsonTypeInfo<TRequest> requestType, JsonTypeInfo<TResponse> responseType, CancellationToken cancellationToken) =>
        _transport.SendJsonAsync(method, endpoint, request, requestType, responseType, cancellationToken);
}
