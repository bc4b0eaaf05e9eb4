using System.Text.Json;
using Platform.Tracking.Api;
using Platform.Tracking.Model;
using Platform.Tracking.Registry.Api;
using Platform.Tracking.Search;
using Platform.Tracking.Storage;

namespace Platform.Tracking.Registry.LoggedModels;

/// <summary>Handlers of MLflow 3's <c>logged-models</c> routes (service.proto, MlflowService).</summary>
internal sealed class LoggedModelHandlers : IAddOnRoutes
{
    /// <summary>Default and maximum page size of logged-models/search; an estimate, because the proto leaves it to the server.</summary>
    public const int SearchMaxResultsDefault = 100;
    public const int SearchMaxResultsThreshold = 1000;

    private const string Prefix = "2.0/mlflow/logged-models";

    private readonly ILoggedModelStore _store;
    private readonly ITrackingStore _tracking;

    public LoggedModelHandlers(ILoggedModelStore store, ITrackingStore tracking)
    {
        ArgumentNullException.ThrowIfNull(store);
        ArgumentNullException.ThrowIfNull(tracking);

        _store = store;
        _tracking = tracking;
    }

    public void Register(AddOnApiRouter router)
    {
        ArgumentNullException.ThrowIfNull(router);

        router.Add("POST", Prefix, CreateAsync);
        router.Add("POST", Prefix + "/search", SearchAsync);
        router.Add("GET", Prefix + "/{model_id}", GetAsync);
        router.Add("DELETE", Prefix + "/{model_id}", DeleteAsync);
        router.Add("PATCH", Prefix + "/{model_id}", FinalizeAsync);
        router.Add("POST", Prefix + "/{model_id}/params", LogParamsAsync);
        router.Add("PATCH", Prefix + "/{model_id}/tags", SetTagsAsync);
        router.Add("DELETE", Prefix + "/{model_id}/tags/{**tag_key}", DeleteTagAsync);
        router.Add("GET", Prefix + "/{model_id}/artifacts/directories", ListArtifactsAsync);
    }

    private async Task CreateAsync(AddOnRequest request)
    {
        var message = request.Message;
        var experimentId = RequestParsing.GetExperimentId(message);
        var experiment = await _tracking.GetExperimentAsync(experimentId, request.Aborted);
        if (experiment.LifecycleStage != LifecycleStage.Active)
        {
            throw TrackingException.InvalidParameter(
                $"Experiment {experimentId} is deleted, so no logged model can be created in it. Restore the experiment first.");
        }

        var sourceRunId = message.GetString("source_run_id");
        if (!string.IsNullOrEmpty(sourceRunId))
        {
            TrackingValidator.ValidateRunId(sourceRunId);
            await _tracking.GetRunAsync(sourceRunId, request.Aborted);
        }

        var parameters = RequestParsing.GetKeyValues(message.GetObjectList("params"), "params", RequestParsing.ValidateParam);
        var tags = RequestParsing.GetKeyValues(message.GetObjectList("tags"), "tags", RequestParsing.ValidateRunTag);
        var model = await _store.CreateAsync(
            experimentId,
            experiment.ArtifactLocation,
            message.GetString("name"),
            NullIfEmpty(message.GetString("model_type")),
            NullIfEmpty(sourceRunId),
            parameters,
            tags,
            request.Aborted);
        await WriteModelAsync(request, model);
    }

    private async Task GetAsync(AddOnRequest request)
    {
        await WriteModelAsync(request, await _store.GetAsync(request.GetPathValue("model_id"), request.Aborted));
    }

    private async Task DeleteAsync(AddOnRequest request)
    {
        await _store.DeleteAsync(request.GetPathValue("model_id"), request.Aborted);
        await JsonResults.WriteEmptyAsync(request.Context);
    }

    private async Task FinalizeAsync(AddOnRequest request)
    {
        var status = LoggedModelStatus.ParseFinal(request.Message.GetEnumText("status"));
        await WriteModelAsync(request, await _store.FinalizeAsync(request.GetPathValue("model_id"), status, request.Aborted));
    }

    private async Task LogParamsAsync(AddOnRequest request)
    {
        var parameters = RequestParsing.GetKeyValues(request.Message.GetObjectList("params"), "params", RequestParsing.ValidateParam);
        await _store.LogParamsAsync(request.GetPathValue("model_id"), parameters, request.Aborted);
        await JsonResults.WriteEmptyAsync(request.Context);
    }

    private async Task SetTagsAsync(AddOnRequest request)
    {
        var tags = RequestParsing.GetKeyValues(request.Message.GetObjectList("tags"), "tags", RequestParsing.ValidateRunTag);
        await _store.SetTagsAsync(request.GetPathValue("model_id"), tags, request.Aborted);
        await JsonResults.WriteEmptyAsync(request.Context);
    }

    private async Task DeleteTagAsync(AddOnRequest request)
    {
        await _store.DeleteTagAsync(request.GetPathValue("model_id"), Uri.UnescapeDataString(request.GetPathValue("tag_key")), request.Aborted);
        await JsonResults.WriteEmptyAsync(request.Context);
    }

    private async Task ListArtifactsAsync(AddOnRequest request)
    {
        // Checks that the model exists, so an unknown id is 404 as in MLflow.
        await _store.GetAsync(request.GetPathValue("model_id"), request.Aborted);

        // NOTE: the tracking server has no artifact store of its own; clients list files through the artifact proxy instead.
        await JsonResults.WriteObjectAsync(request.Context, writer =>
        {
            writer.WriteStartArray("files");
            writer.WriteEndArray();
        });
    }

    private async Task SearchAsync(AddOnRequest request)
    {
        var message = request.Message;
        var experimentIds = message.GetStringList("experiment_ids");
        if (experimentIds.Count == 0)
        {
            throw FieldReader.Missing("experiment_ids");
        }

        var query = new LoggedModelSearchQuery(
            experimentIds,
            LoggedModelSearchRules.ParseFilter(message.GetString("filter")),
            ReadOrderBy(message.GetObjectList("order_by")),
            RequestParsing.GetMaxResults(message, SearchMaxResultsDefault, SearchMaxResultsThreshold),
            message.GetString("page_token"));
        var page = await _store.SearchAsync(query, request.Aborted);
        await JsonResults.WritePageAsync(request.Context, "models", page, LoggedModelJsonWriter.WriteLoggedModel);
    }

    /// <summary>Reads MLflow 3's order_by objects: <c>{"field_name": "creation_timestamp", "ascending": false}</c>.</summary>
    private static List<OrderByClause> ReadOrderBy(IReadOnlyList<JsonElement> items)
    {
        var clauses = new List<OrderByClause>(items.Count);
        for (var i = 0; i < items.Count; i++)
        {
            var path = $"order_by[{i}]";
            var fieldName = FieldReader.RequireString(items[i], "field_name", path + ".field_name");
            var ascending = true;
            if (items[i].TryGetProperty("ascending", out var element) && element.ValueKind != JsonValueKind.Null)
            {
                ascending = element.ValueKind switch
                {
                    JsonValueKind.True => true,
                    JsonValueKind.False => false,
                    _ => throw FieldReader.WrongType(path + ".ascending", "true or false", element),
                };
            }

            if (items[i].TryGetProperty("dataset_name", out var dataset) && dataset.ValueKind == JsonValueKind.String)
            {
                throw TrackingException.InvalidParameter(
                    $"Invalid {path}: ordering by a dataset's metric is not supported by this server. Remove dataset_name.");
            }

            clauses.Add(LoggedModelSearchRules.CheckOrder(fieldName, ascending));
        }

        return clauses;
    }

    private static string? NullIfEmpty(string? value) => string.IsNullOrEmpty(value) ? null : value;

    private static Task WriteModelAsync(AddOnRequest request, LoggedModel model) =>
        JsonResults.WriteObjectAsync(request.Context, writer =>
        {
            writer.WritePropertyName("model");
            LoggedModelJsonWriter.WriteLoggedModel(writer, model);
        });
}
