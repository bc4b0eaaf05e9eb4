using Platform.Tracking.Model;
using Platform.Tracking.Api;
using Platform.Tracking.Registry.Api;
using Platform.Tracking.Storage;

namespace Platform.Tracking.Registry.LoggedModels;

/// <summary>Handler of MLflow 3's <c>runs/outputs</c>, which links a run to the logged models it produced.</summary>
internal sealed class RunOutputHandlers : IAddOnRoutes
{
    private readonly ILoggedModelStore _store;
    private readonly ITrackingStore _tracking;

    public RunOutputHandlers(ILoggedModelStore store, ITrackingStore tracking)
    {
        ArgumentNullException.ThrowIfNull(store);
        ArgumentNullException.ThrowIfNull(tracking);

        _store = store;
        _tracking = tracking;
    }

    public void Register(AddOnApiRouter router)
    {
        ArgumentNullException.ThrowIfNull(router);

        router.Add("POST", "2.0/mlflow/runs/outputs", LogOutputsAsync);
    }

    private async Task LogOutputsAsync(AddOnRequest request)
    {
        var message = request.Message;
        var runId = RequestParsing.GetRunId(message);
        var items = message.GetObjectList("models");
        var outputs = new List<RunModelOutput>(items.Count);
        for (var i = 0; i < items.Count; i++)
        {
            var path = $"models[{i}]";
            var modelId = FieldReader.RequireString(items[i], "model_id", path + ".model_id");
            var step = FieldReader.GetInt64(items[i], "step", path + ".step") ?? 0;
            outputs.Add(new RunModelOutput(modelId, step));
        }

        // Checks that the run exists; outputs of an unknown run are RESOURCE_DOES_NOT_EXIST.
        await _tracking.GetRunAsync(runId, request.Aborted);
        await _store.LogOutputsAsync(runId, outputs, request.Aborted);
        await JsonResults.WriteEmptyAsync(request.Context);
    }
}
