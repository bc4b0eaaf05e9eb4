using Platform.Tracking.Search;
using Platform.Tracking.Storage;

namespace Platform.Tracking.Api;

/// <summary>Handlers of the <c>experiments/*</c> routes.</summary>
internal sealed class ExperimentHandlers
{
    private readonly ITrackingStore _store;

    public ExperimentHandlers(ITrackingStore store)
    {
        ArgumentNullException.ThrowIfNull(store);

        _store = store;
    }

    public void Register(IDictionary<string, MlflowEndpoint> routes)
    {
        routes["experiments/create"] = new(["POST"], CreateAsync);
        routes["experiments/get"] = new(["GET"], GetAsync);
        routes["experiments/get-by-name"] = new(["GET"], GetByNameAsync);
        routes["experiments/search"] = new(["GET", "POST"], SearchAsync);
        routes["experiments/update"] = new(["POST"], UpdateAsync);
        routes["experiments/delete"] = new(["POST"], DeleteAsync);
        routes["experiments/restore"] = new(["POST"], RestoreAsync);
        routes["experiments/set-experiment-tag"] = new(["POST"], SetTagAsync);
        routes["experiments/delete-experiment-tag"] = new(["POST"], DeleteTagAsync);
    }

    private async Task CreateAsync(HttpContext context, RequestMessage message)
    {
        var name = message.GetString("name") ?? throw FieldReader.Missing("name");
        TrackingValidator.ValidateExperimentName(name);
        var artifactLocation = message.GetString("artifact_location");
        var tags = RequestParsing.GetKeyValues(message.GetObjectList("tags"), "tags", TrackingValidator.ValidateExperimentTag);
        var id = await _store.CreateExperimentAsync(name, string.IsNullOrEmpty(artifactLocation) ? null : artifactLocation, tags, context.RequestAborted);
        await JsonResults.WriteObjectAsync(context, writer => writer.WriteString("experiment_id", id));
    }

    private async Task GetAsync(HttpContext context, RequestMessage message)
    {
        var experiment = await _store.GetExperimentAsync(RequestParsing.GetExperimentId(message), context.RequestAborted);
        await JsonResults.WriteObjectAsync(context, writer =>
        {
            writer.WritePropertyName("experiment");
            EntityJsonWriter.WriteExperiment(writer, experiment);
        });
    }

    private async Task GetByNameAsync(HttpContext context, RequestMessage message)
    {
        var experiment = await _store.GetExperimentByNameAsync(message.RequireString("experiment_name"), context.RequestAborted);
        await JsonResults.WriteObjectAsync(context, writer =>
        {
            writer.WritePropertyName("experiment");
            EntityJsonWriter.WriteExperiment(writer, experiment);
        });
    }

    private async Task SearchAsync(HttpContext context, RequestMessage message)
    {
        var query = new ExperimentSearchQuery(
            ExperimentSearchRules.ParseFilter(message.GetString("filter")),
            ExperimentSearchRules.ParseOrderBy(message.GetStringList("order_by")),
            RequestParsing.GetViewType(message, "view_type"),
            RequestParsing.GetMaxResults(message, TrackingLimits.SearchMaxResultsDefault, TrackingLimits.SearchMaxResultsThreshold),
            message.GetString("page_token"));
        var page = await _store.SearchExperimentsAsync(query, context.RequestAborted);
        await JsonResults.WritePageAsync(context, "experiments", page, EntityJsonWriter.WriteExperiment);
    }

    private async Task UpdateAsync(HttpContext context, RequestMessage message)
    {
        var experimentId = RequestParsing.GetExperimentId(message);
        var newName = message.GetString("new_name") ?? throw FieldReader.Missing("new_name");
        TrackingValidator.ValidateExperimentName(newName);
        await _store.RenameExperimentAsync(experimentId, newName, context.RequestAborted);
        await JsonResults.WriteEmptyAsync(context);
    }

    private async Task DeleteAsync(HttpContext context, RequestMessage message)
    {
        await _store.SetExperimentLifecycleAsync(RequestParsing.GetExperimentId(message), deleted: true, context.RequestAborted);
        await JsonResults.WriteEmptyAsync(context);
    }

    private async Task RestoreAsync(HttpContext context, RequestMessage message)
    {
        await _store.SetExperimentLifecycleAsync(RequestParsing.GetExperimentId(message), deleted: false, context.RequestAborted);
        await JsonResults.WriteEmptyAsync(context);
    }

    private async Task SetTagAsync(HttpContext context, RequestMessage message)
    {
        var experimentId = RequestParsing.GetExperimentId(message);
        var key = message.RequireString("key");
        var value = message.GetString("value") ?? throw FieldReader.Missing("value");
        TrackingValidator.ValidateExperimentTag(key, value);
        await _store.SetExperimentTagAsync(experimentId, new Model.KeyValue(key, value), context.RequestAborted);
        await JsonResults.WriteEmptyAsync(context);
    }

    private async Task DeleteTagAsync(HttpContext context, RequestMessage message)
    {
        var experimentId = RequestParsing.GetExperimentId(message);
        var key = message.RequireString("key");
        await _store.DeleteExperimentTagAsync(experimentId, key, context.RequestAborted);
        await JsonResults.WriteEmptyAsync(context);
    }
}
