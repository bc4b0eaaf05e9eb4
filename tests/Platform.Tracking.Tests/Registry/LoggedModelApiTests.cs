using System.Net;
using System.Text.Json;
using Platform.Tracking.Tests.Infrastructure;

namespace Platform.Tracking.Tests.Registry;

/// <summary>Conformance of the MLflow 3 logged-model routes with the JSON that the MLflow 3.3 Python client sends.</summary>
[Collection(RegistryServersCollection.Name)]
public sealed class LoggedModelApiTests
{
    private readonly RegistryServersFixture _servers;

    public LoggedModelApiTests(RegistryServersFixture servers)
    {
        _servers = servers;
    }

    [Theory]
    [MemberData(nameof(Backends.All), MemberType = typeof(Backends))]
    public async Task LogModel_CreateFinalizeRegister(string backend)
    {
        var api = _servers.Api(backend);
        var experimentId = await api.CreateExperimentAsync("logged");
        var runId = await api.CreateRunAsync(experimentId);

        // mlflow.pyfunc.log_model(name="model", params=...) inside a run: create, upload, finalize, link to the run.
        var created = (await api.PostAsync("logged-models",
            $$"""
            {"experiment_id": "{{experimentId}}", "name": "model", "source_run_id": "{{runId}}",
             "params": [{"key": "lr", "value": "0.1"}], "tags": [{"key": "mlflow.user", "value": "alice"}]}
            """)).EnsureOk().Json.GetProperty("model");
        var info = created.GetProperty("info");
        var modelId = info.GetProperty("model_id").GetString()!;
        Assert.Matches("^m-[0-9a-f]{32}$", modelId);
        Assert.Equal(experimentId, info.GetProperty("experiment_id").GetString());
        Assert.Equal("model", info.GetProperty("name").GetString());
        Assert.Equal(runId, info.GetProperty("source_run_id").GetString());
        Assert.Equal("LOGGED_MODEL_PENDING", info.GetProperty("status").GetString());
        Assert.Equal($"mlflow-artifacts:/{experimentId}/models/{modelId}/artifacts", info.GetProperty("artifact_uri").GetString());
        Assert.True(info.GetProperty("creation_timestamp_ms").GetInt64() > 1_600_000_000_000);
        Assert.True(info.GetProperty("last_updated_timestamp_ms").GetInt64() >= info.GetProperty("creation_timestamp_ms").GetInt64());
        Assert.Equal("mlflow.user", Assert.Single(info.GetProperty("tags").EnumerateArray()).GetProperty("key").GetString());
        var param = Assert.Single(created.GetProperty("data").GetProperty("params").EnumerateArray());
        Assert.Equal("lr", param.GetProperty("key").GetString());
        Assert.Equal("0.1", param.GetProperty("value").GetString());
        Assert.Empty(created.GetProperty("data").GetProperty("metrics").EnumerateArray());

        var finalized = (await api.SendAsync(HttpMethod.Patch, $"logged-models/{modelId}",
            $$"""{"model_id": "{{modelId}}", "status": "LOGGED_MODEL_READY"}""", null)).EnsureOk();
        Assert.Equal("LOGGED_MODEL_READY", finalized.Json.GetProperty("model").GetProperty("info").GetProperty("status").GetString());
        (await api.PostAsync("runs/outputs", $$"""{"run_id": "{{runId}}", "models": [{"model_id": "{{modelId}}", "step": 0}]}""")).EnsureOk();

        // mlflow.register_model(f"models:/{model_id}", name) sends the logged model's URI and id.
        var name = await api.CreateModelAsync("from-logged");
        var version = (await api.PostAsync("model-versions/create",
            $$"""{"name": "{{name}}", "source": "models:/{{modelId}}", "run_id": "{{runId}}", "model_id": "{{modelId}}"}""")).EnsureOk()
            .Json.GetProperty("model_version");
        Assert.Equal("1", version.GetProperty("version").GetString());
        Assert.Equal($"models:/{modelId}", version.GetProperty("source").GetString());
        Assert.Equal(modelId, version.GetProperty("model_id").GetString());
        var download = (await api.GetAsync($"/api/2.0/mlflow/model-versions/get-download-uri?name={name}&version=1")).EnsureOk();
        Assert.Equal(info.GetProperty("artifact_uri").GetString(), download.Json.GetProperty("artifact_uri").GetString());
        var byModelId = (await api.GetAsync(
            "/api/2.0/mlflow/model-versions/search?filter=" + Uri.EscapeDataString($"model_id = '{modelId}'"))).EnsureOk();
        Assert.Equal(name, Assert.Single(byModelId.Json.GetProperty("model_versions").EnumerateArray()).GetProperty("name").GetString());
    }

    [Theory]
    [MemberData(nameof(Backends.All), MemberType = typeof(Backends))]
    public async Task ParamsTagsAndDelete_RoundTrip(string backend)
    {
        var api = _servers.Api(backend);
        var experimentId = await api.CreateExperimentAsync("logged");
        var modelId = await CreateLoggedModelAsync(api, experimentId, "tags");

        (await api.PostAsync($"logged-models/{modelId}/params", $$"""{"model_id": "{{modelId}}", "params": [{"key": "depth", "value": "6"}]}""")).EnsureOk();
        (await api.SendAsync(HttpMethod.Patch, $"logged-models/{modelId}/tags",
            $$"""{"model_id": "{{modelId}}", "tags": [{"key": "stage", "value": "dev"}, {"key": "owner", "value": "bob"}]}""", null)).EnsureOk();
        (await api.SendAsync(HttpMethod.Delete, $"logged-models/{modelId}/tags/owner", null, null)).EnsureOk();
        var model = (await api.GetAsync($"/api/2.0/mlflow/logged-models/{modelId}")).EnsureOk().Json.GetProperty("model");
        var listing = (await api.GetAsync($"/api/2.0/mlflow/logged-models/{modelId}/artifacts/directories")).EnsureOk();
        (await api.SendAsync(HttpMethod.Delete, $"logged-models/{modelId}", null, null)).EnsureOk();
        var afterDelete = await api.GetAsync($"/api/2.0/mlflow/logged-models/{modelId}");

        var parameters = model.GetProperty("data").GetProperty("params").EnumerateArray()
            .ToDictionary(entry => entry.GetProperty("key").GetString()!, entry => entry.GetProperty("value").GetString());
        Assert.Equal("6", parameters["depth"]);
        Assert.Equal("tags", parameters["name"]);
        var tag = Assert.Single(model.GetProperty("info").GetProperty("tags").EnumerateArray());
        Assert.Equal("stage", tag.GetProperty("key").GetString());
        Assert.Equal("dev", tag.GetProperty("value").GetString());
        Assert.Empty(listing.Json.GetProperty("files").EnumerateArray());
        afterDelete.AssertError(HttpStatusCode.NotFound, "RESOURCE_DOES_NOT_EXIST");
        Assert.Contains(modelId, afterDelete.Message, StringComparison.Ordinal);
    }

    [Theory]
    [MemberData(nameof(Backends.All), MemberType = typeof(Backends))]
    public async Task Search_FiltersOrdersAndPages(string backend)
    {
        var api = _servers.Api(backend);
        var experimentId = await api.CreateExperimentAsync("logged-search");
        var first = await CreateLoggedModelAsync(api, experimentId, "alpha");
        var second = await CreateLoggedModelAsync(api, experimentId, "beta");
        var third = await CreateLoggedModelAsync(api, experimentId, "gamma");
        (await api.SendAsync(HttpMethod.Patch, $"logged-models/{second}", $$"""{"model_id": "{{second}}", "status": "LOGGED_MODEL_READY"}""", null)).EnsureOk();

        var ready = await SearchNamesAsync(api, $$"""{"experiment_ids": ["{{experimentId}}"], "filter": "status = 'LOGGED_MODEL_READY'"}""");
        var byParam = await SearchNamesAsync(api, $$"""{"experiment_ids": ["{{experimentId}}"], "filter": "params.name = 'gamma'"}""");
        var byName = await SearchNamesAsync(api,
            $$"""{"experiment_ids": ["{{experimentId}}"], "order_by": [{"field_name": "name", "ascending": false}]}""");
        var firstPage = (await api.PostAsync("logged-models/search",
            $$"""{"experiment_ids": ["{{experimentId}}"], "max_results": 2, "order_by": [{"field_name": "name", "ascending": true}]}""")).EnsureOk();
        var token = firstPage.Json.GetProperty("next_page_token").GetString();
        var secondPage = await SearchNamesAsync(api,
            $$"""{"experiment_ids": ["{{experimentId}}"], "max_results": 2, "order_by": [{"field_name": "name", "ascending": true}], "page_token": "{{token}}"}""");

        Assert.Equal(["beta"], ready);
        Assert.Equal(["gamma"], byParam);
        Assert.Equal(["gamma", "beta", "alpha"], byName);
        Assert.Equal(2, firstPage.Json.GetProperty("models").GetArrayLength());
        Assert.Equal(["gamma"], secondPage);
        Assert.NotEqual(first, third);
    }

    [Theory]
    [MemberData(nameof(Backends.All), MemberType = typeof(Backends))]
    public async Task BadInput_IsRejected(string backend)
    {
        var api = _servers.Api(backend);
        var experimentId = await api.CreateExperimentAsync("logged-bad");
        var modelId = await CreateLoggedModelAsync(api, experimentId, "bad");
        var unknownId = "m-" + Guid.NewGuid().ToString("N");

        (await api.PostAsync("logged-models", """{"experiment_id": "999999", "name": "x"}"""))
            .AssertError(HttpStatusCode.NotFound, "RESOURCE_DOES_NOT_EXIST");
        (await api.PostAsync("logged-models", """{"name": "x"}"""))
            .AssertError(HttpStatusCode.BadRequest, "INVALID_PARAMETER_VALUE");
        (await api.GetAsync($"/api/2.0/mlflow/logged-models/{unknownId}"))
            .AssertError(HttpStatusCode.NotFound, "RESOURCE_DOES_NOT_EXIST");
        (await api.SendAsync(HttpMethod.Patch, $"logged-models/{modelId}", $$"""{"model_id": "{{modelId}}", "status": "LOGGED_MODEL_PENDING"}""", null))
            .AssertError(HttpStatusCode.BadRequest, "INVALID_PARAMETER_VALUE");
        (await api.SendAsync(HttpMethod.Delete, $"logged-models/{modelId}/tags/never-set", null, null))
            .AssertError(HttpStatusCode.NotFound, "RESOURCE_DOES_NOT_EXIST");
        (await api.PostAsync("logged-models/search", """{"filter": "name = 'x'"}"""))
            .AssertError(HttpStatusCode.BadRequest, "INVALID_PARAMETER_VALUE");
        (await api.PostAsync("logged-models/search", $$"""{"experiment_ids": ["{{experimentId}}"], "filter": "metrics.auc > 'high'"}"""))
            .AssertError(HttpStatusCode.BadRequest, "INVALID_PARAMETER_VALUE");
        (await api.PostAsync("runs/outputs", $$"""{"run_id": "0123456789abcdef0123456789abcdef", "models": [{"model_id": "{{modelId}}", "step": 0}]}"""))
            .AssertError(HttpStatusCode.NotFound, "RESOURCE_DOES_NOT_EXIST");
        var runId = await api.CreateRunAsync(experimentId);
        (await api.PostAsync("runs/outputs", $$"""{"run_id": "{{runId}}", "models": [{"model_id": "{{unknownId}}", "step": 0}]}"""))
            .AssertError(HttpStatusCode.NotFound, "RESOURCE_DOES_NOT_EXIST");
        var name = await api.CreateModelAsync("bad-source");
        (await api.PostAsync("model-versions/create", $$"""{"name": "{{name}}", "source": "models:/{{unknownId}}", "model_id": "{{unknownId}}"}"""))
            .AssertError(HttpStatusCode.NotFound, "RESOURCE_DOES_NOT_EXIST");
        (await api.PostAsync("model-versions/create", $$"""{"name": "{{name}}", "source": "mlflow-artifacts:/0/x/artifacts", "model_id": "{{unknownId}}"}"""))
            .AssertError(HttpStatusCode.NotFound, "RESOURCE_DOES_NOT_EXIST");
    }

    [Theory]
    [MemberData(nameof(Backends.All), MemberType = typeof(Backends))]
    public async Task MetricAndInputs_WithModelId_AreAccepted(string backend)
    {
        var api = _servers.Api(backend);
        var experimentId = await api.CreateExperimentAsync("logged-metrics");
        var runId = await api.CreateRunAsync(experimentId);
        var modelId = await CreateLoggedModelAsync(api, experimentId, "metrics");

        // mlflow.log_metric("auc", 0.8, model_id=..., dataset=...) and the model input that MLflow 3 logs for evaluation.
        var metric = await api.PostAsync("runs/log-metric",
            $$"""
            {"run_id": "{{runId}}", "run_uuid": "{{runId}}", "key": "auc", "value": 0.8, "timestamp": 1700000000000, "step": 0,
             "model_id": "{{modelId}}", "dataset_name": "eval", "dataset_digest": "abc123"}
            """);
        var inputs = await api.PostAsync("runs/log-inputs", $$"""{"run_id": "{{runId}}", "models": [{"model_id": "{{modelId}}"}]}""");

        metric.EnsureOk();
        inputs.EnsureOk();
        var run = (await api.GetAsync($"/api/2.0/mlflow/runs/get?run_id={runId}")).EnsureOk().Json.GetProperty("run");
        var logged = Assert.Single(run.GetProperty("data").GetProperty("metrics").EnumerateArray());
        Assert.Equal("auc", logged.GetProperty("key").GetString());
    }

    private static async Task<string> CreateLoggedModelAsync(TrackingApi api, string experimentId, string name)
    {
        var response = (await api.PostAsync("logged-models",
            $$"""{"experiment_id": "{{experimentId}}", "name": "{{name}}", "params": [{"key": "name", "value": "{{name}}"}]}""")).EnsureOk();
        return response.Json.GetProperty("model").GetProperty("info").GetProperty("model_id").GetString()!;
    }

    private static async Task<List<string>> SearchNamesAsync(TrackingApi api, string json)
    {
        var response = (await api.PostAsync("logged-models/search", json)).EnsureOk();
        return response.Json.GetProperty("models").EnumerateArray()
            .Select(model => model.GetProperty("info").GetProperty("name").GetString()!)
            .ToList();
    }
}
