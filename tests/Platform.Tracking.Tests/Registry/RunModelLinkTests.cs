using System.Net;
using System.Text.Json;
using Platform.Tracking.Tests.Infrastructure;

namespace Platform.Tracking.Tests.Registry;

/// <summary>
/// MLflow 3 links between runs, logged models and metrics, with the JSON that the MLflow 3.3 Python client sends:
/// <c>log_metric(..., model_id=...)</c>, <c>log_inputs(models=...)</c> and the <c>runs/outputs</c> call of <c>log_model</c>.
/// </summary>
[Collection(RegistryServersCollection.Name)]
public sealed class RunModelLinkTests
{
    private readonly RegistryServersFixture _servers;

    public RunModelLinkTests(RegistryServersFixture servers)
    {
        _servers = servers;
    }

    [Theory]
    [MemberData(nameof(Backends.All), MemberType = typeof(Backends))]
    public async Task LogInputs_ModelsOnly_StoredOnRun(string backend)
    {
        var api = _servers.Api(backend);
        var experimentId = await api.CreateExperimentAsync("model-inputs");
        var runId = await api.CreateRunAsync(experimentId);
        var modelId = await CreateLoggedModelAsync(api, experimentId, "input");

        (await api.PostAsync("runs/log-inputs", $$"""{"run_id": "{{runId}}", "models": [{"model_id": "{{modelId}}"}]}""")).EnsureOk();
        (await api.PostAsync("runs/log-inputs", $$"""{"run_id": "{{runId}}", "models": [{"model_id": "{{modelId}}"}]}""")).EnsureOk();

        var run = await GetRunAsync(api, runId);
        var inputs = run.GetProperty("inputs");
        Assert.Empty(inputs.GetProperty("dataset_inputs").EnumerateArray());
        var input = Assert.Single(inputs.GetProperty("model_inputs").EnumerateArray());
        Assert.Equal(modelId, input.GetProperty("model_id").GetString());
        Assert.Empty(run.GetProperty("outputs").GetProperty("model_outputs").EnumerateArray());
    }

    [Theory]
    [MemberData(nameof(Backends.All), MemberType = typeof(Backends))]
    public async Task LogModel_OutputsOnGetAndSearch(string backend)
    {
        var api = _servers.Api(backend);
        var experimentId = await api.CreateExperimentAsync("model-outputs");
        var runId = await api.CreateRunAsync(experimentId);

        // log_model inside a run: logged-models create with source_run_id, then runs/outputs with the step.
        var modelId = (await api.PostAsync("logged-models",
            $$"""{"experiment_id": "{{experimentId}}", "name": "model", "source_run_id": "{{runId}}"}""")).EnsureOk()
            .Json.GetProperty("model").GetProperty("info").GetProperty("model_id").GetString()!;
        (await api.PostAsync("runs/outputs", $$"""{"run_id": "{{runId}}", "models": [{"model_id": "{{modelId}}", "step": 3}]}""")).EnsureOk();

        var output = Assert.Single((await GetRunAsync(api, runId)).GetProperty("outputs").GetProperty("model_outputs").EnumerateArray());
        Assert.Equal(modelId, output.GetProperty("model_id").GetString());
        Assert.Equal(3, output.GetProperty("step").GetInt64());

        var search = (await api.PostAsync("runs/search", $$"""{"experiment_ids": ["{{experimentId}}"]}""")).EnsureOk();
        var found = Assert.Single(search.Json.GetProperty("runs").EnumerateArray());
        var searched = Assert.Single(found.GetProperty("outputs").GetProperty("model_outputs").EnumerateArray());
        Assert.Equal(modelId, searched.GetProperty("model_id").GetString());
        Assert.Empty(found.GetProperty("inputs").GetProperty("model_inputs").EnumerateArray());
    }

    [Theory]
    [MemberData(nameof(Backends.All), MemberType = typeof(Backends))]
    public async Task LogMetric_ModelAndDatasetKept(string backend)
    {
        var api = _servers.Api(backend);
        var experimentId = await api.CreateExperimentAsync("model-metrics");
        var runId = await api.CreateRunAsync(experimentId);
        var modelId = await CreateLoggedModelAsync(api, experimentId, "scored");

        // mlflow.log_metric("auc", 0.8, step=1, model_id=model_id, dataset=eval_dataset) in MLflow 3.3.
        (await api.PostAsync("runs/log-metric",
            $$"""
            {"run_id": "{{runId}}", "run_uuid": "{{runId}}", "key": "auc", "value": 0.8, "timestamp": 1700000000000, "step": 1,
             "model_id": "{{modelId}}", "dataset_name": "eval", "dataset_digest": "abc123"}
            """)).EnsureOk();

        var latest = Assert.Single((await GetRunAsync(api, runId)).GetProperty("data").GetProperty("metrics").EnumerateArray());
        AssertLinked(latest, modelId, "eval", "abc123");

        var history = (await api.GetAsync($"/api/2.0/mlflow/metrics/get-history?run_id={runId}&metric_key=auc")).EnsureOk();
        AssertLinked(Assert.Single(history.Json.GetProperty("metrics").EnumerateArray()), modelId, "eval", "abc123");

        var model = (await api.GetAsync($"/api/2.0/mlflow/logged-models/{modelId}")).EnsureOk().Json.GetProperty("model");
        var modelMetric = Assert.Single(model.GetProperty("data").GetProperty("metrics").EnumerateArray());
        AssertLinked(modelMetric, modelId, "eval", "abc123");
        Assert.Equal(runId, modelMetric.GetProperty("run_id").GetString());
        Assert.Equal(0.8, modelMetric.GetProperty("value").GetDouble());
        Assert.Equal(1, modelMetric.GetProperty("step").GetInt64());
    }

    [Theory]
    [MemberData(nameof(Backends.All), MemberType = typeof(Backends))]
    public async Task LogBatch_MetricsKeepModelId(string backend)
    {
        var api = _servers.Api(backend);
        var experimentId = await api.CreateExperimentAsync("model-batch");
        var runId = await api.CreateRunAsync(experimentId);
        var modelId = await CreateLoggedModelAsync(api, experimentId, "batch");

        // MLflow 3.3 sends log_metrics(..., model_id=...) through runs/log-batch; a point without a model stays unlinked.
        (await api.PostAsync("runs/log-batch",
            $$"""
            {"run_id": "{{runId}}", "metrics": [
              {"key": "loss", "value": 0.5, "timestamp": 1700000000000, "step": 0, "model_id": "{{modelId}}", "dataset_name": "train", "dataset_digest": "d1"},
              {"key": "loss", "value": 0.25, "timestamp": 1700000000001, "step": 1, "model_id": "{{modelId}}", "dataset_name": "train", "dataset_digest": "d1"},
              {"key": "plain", "value": 1.0, "timestamp": 1700000000000, "step": 0}],
             "params": [], "tags": []}
            """)).EnsureOk();

        var metrics = (await GetRunAsync(api, runId)).GetProperty("data").GetProperty("metrics").EnumerateArray().ToList();
        var loss = Assert.Single(metrics, metric => metric.GetProperty("key").GetString() == "loss");
        AssertLinked(loss, modelId, "train", "d1");
        Assert.Equal(0.25, loss.GetProperty("value").GetDouble());
        var plain = Assert.Single(metrics, metric => metric.GetProperty("key").GetString() == "plain");
        Assert.False(plain.TryGetProperty("model_id", out _));
        Assert.False(plain.TryGetProperty("dataset_name", out _));

        var model = (await api.GetAsync($"/api/2.0/mlflow/logged-models/{modelId}")).EnsureOk().Json.GetProperty("model");
        var steps = model.GetProperty("data").GetProperty("metrics").EnumerateArray().Select(metric => metric.GetProperty("step").GetInt64()).ToList();
        Assert.Equal([0L, 1L], steps);
    }

    [Theory]
    [MemberData(nameof(Backends.All), MemberType = typeof(Backends))]
    public async Task LoggedModelSearch_FiltersOnMetrics(string backend)
    {
        var api = _servers.Api(backend);
        var experimentId = await api.CreateExperimentAsync("model-metric-search");
        var runId = await api.CreateRunAsync(experimentId);
        var good = await CreateLoggedModelAsync(api, experimentId, "good");
        var poor = await CreateLoggedModelAsync(api, experimentId, "poor");
        await CreateLoggedModelAsync(api, experimentId, "unscored");
        await LogModelMetricAsync(api, runId, good, 0.9);
        await LogModelMetricAsync(api, runId, poor, 0.6);

        Assert.Equal(["good"], await SearchNamesAsync(api, experimentId, "metrics.auc > 0.8"));
        Assert.Equal(["poor"], await SearchNamesAsync(api, experimentId, "metrics.auc <= 0.6"));
        Assert.Equal(["good", "poor"], (await SearchNamesAsync(api, experimentId, "metrics.auc >= 0.5")).Order().ToList());
        Assert.Empty(await SearchNamesAsync(api, experimentId, "metrics.loss > 0"));
        Assert.Equal(["good"], await SearchNamesAsync(api, experimentId, "metrics.auc > 0.5 AND params.name = 'good'"));
    }

    [Theory]
    [MemberData(nameof(Backends.All), MemberType = typeof(Backends))]
    public async Task InvalidModelFields_Rejected(string backend)
    {
        var api = _servers.Api(backend);
        var experimentId = await api.CreateExperimentAsync("model-errors");
        var runId = await api.CreateRunAsync(experimentId);
        var tooLong = new string('m', 37);

        var missingId = await api.PostAsync("runs/log-inputs", $$"""{"run_id": "{{runId}}", "models": [{}]}""");
        missingId.AssertError(HttpStatusCode.BadRequest, "INVALID_PARAMETER_VALUE");
        Assert.Contains("models[0].model_id", missingId.Message, StringComparison.Ordinal);

        var longInput = await api.PostAsync("runs/log-inputs", $$"""{"run_id": "{{runId}}", "models": [{"model_id": "{{tooLong}}"}]}""");
        longInput.AssertError(HttpStatusCode.BadRequest, "INVALID_PARAMETER_VALUE");

        var notObject = await api.PostAsync("runs/log-inputs", $$"""{"run_id": "{{runId}}", "models": ["m-1"]}""");
        notObject.AssertError(HttpStatusCode.BadRequest, "INVALID_PARAMETER_VALUE");
        Assert.Contains("models[0]", notObject.Message, StringComparison.Ordinal);

        var longMetricModel = await api.PostAsync("runs/log-metric",
            $$"""{"run_id": "{{runId}}", "key": "auc", "value": 0.8, "timestamp": 1700000000000, "model_id": "{{tooLong}}"}""");
        longMetricModel.AssertError(HttpStatusCode.BadRequest, "INVALID_PARAMETER_VALUE");
        Assert.Contains("model_id", longMetricModel.Message, StringComparison.Ordinal);

        var longDigest = await api.PostAsync("runs/log-batch",
            $$"""{"run_id": "{{runId}}", "metrics": [{"key": "auc", "value": 0.8, "timestamp": 1700000000000, "dataset_digest": "{{tooLong}}"}]}""");
        longDigest.AssertError(HttpStatusCode.BadRequest, "INVALID_PARAMETER_VALUE");
        Assert.Contains("metrics[0]", longDigest.Message, StringComparison.Ordinal);

        var wrongType = await api.PostAsync("runs/log-batch",
            $$$"""{"run_id": "{{{runId}}}", "metrics": [{"key": "auc", "value": 0.8, "timestamp": 1700000000000, "model_id": {"id": 1}}]}""");
        wrongType.AssertError(HttpStatusCode.BadRequest, "INVALID_PARAMETER_VALUE");

        var nothingStored = (await GetRunAsync(api, runId));
        Assert.Empty(nothingStored.GetProperty("data").GetProperty("metrics").EnumerateArray());
        Assert.Empty(nothingStored.GetProperty("inputs").GetProperty("model_inputs").EnumerateArray());
    }

    private static void AssertLinked(JsonElement metric, string modelId, string datasetName, string datasetDigest)
    {
        Assert.Equal(modelId, metric.GetProperty("model_id").GetString());
        Assert.Equal(datasetName, metric.GetProperty("dataset_name").GetString());
        Assert.Equal(datasetDigest, metric.GetProperty("dataset_digest").GetString());
    }

    private static async Task LogModelMetricAsync(TrackingApi api, string runId, string modelId, double value) =>
        (await api.PostAsync("runs/log-metric",
            $$"""{"run_id": "{{runId}}", "key": "auc", "value": {{value.ToString(System.Globalization.CultureInfo.InvariantCulture)}}, "timestamp": 1700000000000, "step": 0, "model_id": "{{modelId}}"}"""))
            .EnsureOk();

    private static async Task<List<string>> SearchNamesAsync(TrackingApi api, string experimentId, string filter)
    {
        var body = JsonSerializer.Serialize(new Dictionary<string, object> { ["experiment_ids"] = new[] { experimentId }, ["filter"] = filter });
        var response = (await api.PostAsync("logged-models/search", body)).EnsureOk();
        return response.Json.GetProperty("models").EnumerateArray()
            .Select(model => model.GetProperty("info").GetProperty("name").GetString()!)
            .ToList();
    }

    private static async Task<JsonElement> GetRunAsync(TrackingApi api, string runId) =>
        (await api.GetAsync($"/api/2.0/mlflow/runs/get?run_id={runId}")).EnsureOk().Json.GetProperty("run");

    private static async Task<string> CreateLoggedModelAsync(TrackingApi api, string experimentId, string name)
    {
        var response = (await api.PostAsync("logged-models",
            $$"""{"experiment_id": "{{experimentId}}", "name": "{{name}}", "params": [{"key": "name", "value": "{{name}}"}]}""")).EnsureOk();
        return response.Json.GetProperty("model").GetProperty("info").GetProperty("model_id").GetString()!;
    }
}
