using Platform.Tracking.Api;
using Platform.Tracking.Hosting;
using Platform.Tracking.Registry.Model;
using Platform.Tracking.Registry.Search;
using Platform.Tracking.Registry.Storage;

namespace Platform.Tracking.Registry.Api;

/// <summary>Handlers of the <c>model-versions/*</c> routes of model_registry.proto.</summary>
internal sealed class ModelVersionHandlers : IAddOnRoutes
{
    /// <summary>Default and maximum page size of model-versions/search (model_registry.proto: 200,000).</summary>
    public const int SearchMaxResults = 200_000;

    private const string Prefix = "2.0/mlflow/model-versions/";

    /// <summary>Tag that marks a registered model or version as an MLflow 3 prompt.</summary>
    private const string PromptTagKey = "mlflow.prompt.is_prompt";

    private readonly IModelRegistryStore _store;
    private readonly ModelSourceResolver _sources;
    private readonly GatewayIdentity _identity;

    public ModelVersionHandlers(IModelRegistryStore store, ModelSourceResolver sources, GatewayIdentity identity)
    {
        ArgumentNullException.ThrowIfNull(store);
        ArgumentNullException.ThrowIfNull(sources);
        ArgumentNullException.ThrowIfNull(identity);

        _store = store;
        _sources = sources;
        _identity = identity;
    }

    public void Register(AddOnApiRouter router)
    {
        ArgumentNullException.ThrowIfNull(router);

        router.Add("POST", Prefix + "create", CreateAsync);
        router.Add("GET", Prefix + "get", GetAsync);
        router.Add("GET", Prefix + "search", SearchAsync);
        router.Add("PATCH", Prefix + "update", UpdateAsync);
        router.Add("DELETE", Prefix + "delete", DeleteAsync);
        router.Add("POST", Prefix + "set-tag", SetTagAsync);
        router.Add("DELETE", Prefix + "delete-tag", DeleteTagAsync);
        router.Add("POST", Prefix + "transition-stage", TransitionStageAsync);
        router.Add("GET", Prefix + "get-download-uri", GetDownloadUriAsync);
    }

    private async Task CreateAsync(AddOnRequest request)
    {
        var message = request.Message;
        var name = message.RequireString("name");
        var source = message.RequireString("source");
        var tags = RequestParsing.GetKeyValues(message.GetObjectList("tags"), "tags", RegistryValidator.ValidateTag);

        // MLflow 3 stores prompt versions as model versions with the placeholder source "dummy-source", which names no artifact.
        var isPrompt = tags.Any(tag => tag.Key == PromptTagKey);
        if (!isPrompt)
        {
            RegistryValidator.ValidateSource(source);
        }

        var runId = message.GetString("run_id");
        if (string.IsNullOrEmpty(runId))
        {
            runId = null;
        }
        else
        {
            TrackingValidator.ValidateRunId(runId);
        }

        var storageLocation = isPrompt ? source : await _sources.ResolveAsync(source, request.Aborted);
        var modelId = message.GetString("model_id");
        if (!string.IsNullOrEmpty(modelId))
        {
            await _sources.RequireLoggedModelAsync(modelId, request.Aborted);
        }

        var version = await _store.CreateModelVersionAsync(
            new NewModelVersion(
                name,
                source,
                storageLocation,
                runId,
                NullIfEmpty(message.GetString("run_link")),
                message.GetString("description"),
                _identity.GetUser(request.Context.Request),
                NullIfEmpty(modelId),
                tags),
            request.Aborted);
        await WriteVersionAsync(request, version);
    }

    private async Task GetAsync(AddOnRequest request)
    {
        var message = request.Message;
        var version = await _store.GetModelVersionAsync(message.RequireString("name"), RegistryValidator.GetVersion(message), request.Aborted);
        await WriteVersionAsync(request, version);
    }

    private async Task SearchAsync(AddOnRequest request)
    {
        var message = request.Message;
        var query = new RegistrySearchQuery(
            ModelVersionSearchRules.ParseFilter(message.GetString("filter")),
            ModelVersionSearchRules.ParseOrderBy(message.GetStringList("order_by")),
            RequestParsing.GetMaxResults(message, SearchMaxResults, SearchMaxResults),
            message.GetString("page_token"));
        var page = await _store.SearchModelVersionsAsync(query, request.Aborted);
        await JsonResults.WritePageAsync(request.Context, "model_versions", page, RegistryJsonWriter.WriteModelVersion);
    }

    private async Task UpdateAsync(AddOnRequest request)
    {
        var message = request.Message;
        var version = await _store.UpdateModelVersionAsync(
            message.RequireString("name"), RegistryValidator.GetVersion(message), message.GetString("description"), request.Aborted);
        await WriteVersionAsync(request, version);
    }

    private async Task DeleteAsync(AddOnRequest request)
    {
        var message = request.Message;
        await _store.DeleteModelVersionAsync(message.RequireString("name"), RegistryValidator.GetVersion(message), request.Aborted);
        await JsonResults.WriteEmptyAsync(request.Context);
    }

    private async Task SetTagAsync(AddOnRequest request)
    {
        var message = request.Message;
        var name = message.RequireString("name");
        var number = RegistryValidator.GetVersion(message);
        var key = message.RequireString("key");
        var value = message.GetString("value") ?? throw FieldReader.Missing("value");
        RegistryValidator.ValidateTag(key, value);
        await _store.SetModelVersionTagAsync(name, number, new Tracking.Model.KeyValue(key, value), request.Aborted);
        await JsonResults.WriteEmptyAsync(request.Context);
    }

    private async Task DeleteTagAsync(AddOnRequest request)
    {
        var message = request.Message;
        await _store.DeleteModelVersionTagAsync(
            message.RequireString("name"), RegistryValidator.GetVersion(message), message.RequireString("key"), request.Aborted);
        await JsonResults.WriteEmptyAsync(request.Context);
    }

    private async Task TransitionStageAsync(AddOnRequest request)
    {
        var message = request.Message;
        var name = message.RequireString("name");
        var number = RegistryValidator.GetVersion(message);
        var stage = ModelVersionStages.Canonicalize(message.RequireString("stage"));
        var archive = request.GetBoolean("archive_existing_versions") ?? false;
        var version = await _store.TransitionModelVersionStageAsync(name, number, stage, archive, request.Aborted);
        await WriteVersionAsync(request, version);
    }

    private async Task GetDownloadUriAsync(AddOnRequest request)
    {
        var message = request.Message;
        var version = await _store.GetModelVersionAsync(message.RequireString("name"), RegistryValidator.GetVersion(message), request.Aborted);
        await JsonResults.WriteObjectAsync(request.Context, writer => writer.WriteString("artifact_uri", version.StorageLocation));
    }

    private static string? NullIfEmpty(string? value) => string.IsNullOrEmpty(value) ? null : value;

    private static Task WriteVersionAsync(AddOnRequest request, ModelVersion version) =>
        JsonResults.WriteObjectAsync(request.Context, writer =>
        {
            writer.WritePropertyName("model_version");
            RegistryJsonWriter.WriteModelVersion(writer, version);
        });
}
