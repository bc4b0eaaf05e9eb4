using System.Net;
using System.Text.Json;
using Platform.Tracking.Tests.Infrastructure;

namespace Platform.Tracking.Tests.Api;

[Collection(TrackingServersCollection.Name)]
public sealed class RunApiTests
{
    private readonly TrackingServersFixture _servers;

    public RunApiTests(TrackingServersFixture servers)
    {
        _servers = servers;
    }

    [Theory]
    [MemberData(nameof(Backends.All), MemberType = typeof(Backends))]
    public async Task Create_ReturnsMlflowRunInfo(string backend)
    {
        var api = _servers.Api(backend);
        var experimentId = await api.CreateExperimentAsync();

        // The body the Python client's RestStore.create_run sends.
        var response = (await api.PostAsync("runs/create",
            $$"""{"experiment_id": "{{experimentId}}", "user_id": "alice", "start_time": 1700000000123, "tags": [{"key": "mlflow.user", "value": "alice"}, {"key": "mlflow.source.name", "value": "train.py"}, {"key": "mlflow.source.type", "value": "LOCAL"}], "run_name": "first-run"}""")).EnsureOk();

        var run = response.Json.GetProperty("run");
        var info = run.GetProperty("info");
        var runId = info.GetProperty("run_id").GetString()!;
        Assert.Matches("^[0-9a-f]{32}$", runId);
        Assert.Equal(runId, info.GetProperty("run_uuid").GetString());
        Assert.Equal("first-run", info.GetProperty("run_name").GetString());
        Assert.Equal(experimentId, info.GetProperty("experiment_id").GetString());
        Assert.Equal("alice", info.GetProperty("user_id").GetString());
        Assert.Equal("RUNNING", info.GetProperty("status").GetString());
        Assert.Equal(1700000000123, info.GetProperty("start_time").GetInt64());
        Assert.False(info.TryGetProperty("end_time", out _));
        Assert.Equal($"mlflow-artifacts:/{experimentId}/{runId}/artifacts", info.GetProperty("artifact_uri").GetString());
        Assert.Equal("active", info.GetProperty("lifecycle_stage").GetString());
        var tags = Tags(run);
        Assert.Equal("first-run", tags["mlflow.runName"]);
        Assert.Equal("alice", tags["mlflow.user"]);
        Assert.Equal("train.py", tags["mlflow.source.name"]);
        Assert.Empty(run.GetProperty("data").GetProperty("metrics").EnumerateArray());
        Assert.Empty(run.GetProperty("data").GetProperty("params").EnumerateArray());
    }

    [Theory]
    [MemberData(nameof(Backends.All), MemberType = typeof(Backends))]
    public async Task Create_WithoutName_GeneratesNameAndTag(string backend)
    {
        var api = _servers.Api(backend);
        var experimentId = await api.CreateExperimentAsync();

        var run = (await api.PostAsync("runs/create", $$"""{"experiment_id": "{{experimentId}}", "start_time": 5}""")).EnsureOk().Json.GetProperty("run");

        var name = run.GetProperty("info").GetProperty("run_name").GetString()!;
        Assert.Matches("^[a-z]+-[a-z]+-[0-9]+$", name);
        Assert.Equal(name, Tags(run)["mlflow.runName"]);
    }

    [Theory]
    [MemberData(nameof(Backends.All), MemberType = typeof(Backends))]
    public async Task Create_ConflictingRunNameAndTag_IsInvalid(string backend)
    {
        var api = _servers.Api(backend);
        var experimentId = await api.CreateExperimentAsync();

        var response = await api.PostAsync("runs/create",
            $$"""{"experiment_id": "{{experimentId}}", "run_name": "a", "tags": [{"key": "mlflow.runName", "value": "b"}]}""");

        response.AssertError(HttpStatusCode.BadRequest, "INVALID_PARAMETER_VALUE");
    }

    [Theory]
    [MemberData(nameof(Backends.All), MemberType = typeof(Backends))]
    public async Task Create_GatewayUserWithSecret_OverridesClientUser(string backend)
    {
        var api = _servers.Api(backend);
        var experimentId = await api.CreateExperimentAsync();
        var headers = new Dictionary<string, string>
        {
            ["X-LabPlatform-User"] = "carol@lab.example",
            ["X-LabPlatform-Gateway-Secret"] = TrackingServersFixture.GatewaySecret,
        };

        var run = (await api.PostAsync("runs/create",
            $$"""{"experiment_id": "{{experimentId}}", "user_id": "mallory", "tags": [{"key": "mlflow.user", "value": "mallory"}]}""", headers)).EnsureOk().Json.GetProperty("run");

        Assert.Equal("carol@lab.example", run.GetProperty("info").GetProperty("user_id").GetString());
        Assert.Equal("carol@lab.example", Tags(run)["mlflow.user"]);
    }

    [Theory]
    [MemberData(nameof(Backends.All), MemberType = typeof(Backends))]
    public async Task Create_GatewayUserWithWrongSecret_IsIgnored(string backend)
    {
        var api = _servers.Api(backend);
        var experimentId = await api.CreateExperimentAsync();
        var headers = new Dictionary<string, string>
        {
            ["X-LabPlatform-User"] = "carol@lab.example",
            ["X-LabPlatform-Gateway-Secret"] = "guessed-secret",
        };

        var run = (await api.PostAsync("runs/create",
            $$"""{"experiment_id": "{{experimentId}}", "user_id": "bob", "tags": [{"key": "mlflow.user", "value": "bob"}]}""", headers)).EnsureOk().Json.GetProperty("run");

        Assert.Equal("bob", run.GetProperty("info").GetProperty("user_id").GetString());
        Assert.Equal("bob", Tags(run)["mlflow.user"]);
    }

    [Theory]
    [MemberData(nameof(Backends.All), MemberType = typeof(Backends))]
    public async Task Get_AcceptsRunUuidAndReturnsData(string backend)
    {
        var api = _servers.Api(backend);
        var runId = await api.CreateRunAsync(await api.CreateExperimentAsync());
        (await api.PostAsync("runs/log-parameter", $$"""{"run_id": "{{runId}}", "run_uuid": "{{runId}}", "key": "lr", "value": "0.01"}""")).EnsureOk();

        var run = (await api.GetAsync($"/api/2.0/mlflow/runs/get?run_uuid={runId}")).EnsureOk().Json.GetProperty("run");

        Assert.Equal(runId, run.GetProperty("info").GetProperty("run_id").GetString());
        var param = Assert.Single(run.GetProperty("data").GetProperty("params").EnumerateArray());
        Assert.Equal("lr", param.GetProperty("key").GetString());
        Assert.Equal("0.01", param.GetProperty("value").GetString());
    }

    [Theory]
    [MemberData(nameof(Backends.All), MemberType = typeof(Backends))]
    public async Task Get_UnknownRun_IsResourceDoesNotExist(string backend)
    {
        var response = await _servers.Api(backend).GetAsync($"/api/2.0/mlflow/runs/get?run_id={Guid.NewGuid():N}");

        response.AssertError(HttpStatusCode.NotFound, "RESOURCE_DOES_NOT_EXIST");
    }

    [Theory]
    [MemberData(nameof(Backends.All), MemberType = typeof(Backends))]
    public async Task Update_SetsStatusEndTimeAndName(string backend)
    {
        var api = _servers.Api(backend);
        var runId = await api.CreateRunAsync(await api.CreateExperimentAsync());

        var response = (await api.PostAsync("runs/update",
            $$"""{"run_id": "{{runId}}", "run_uuid": "{{runId}}", "status": "FINISHED", "end_time": 1700000009999, "run_name": "renamed"}""")).EnsureOk();
        var run = (await api.GetAsync($"/api/2.0/mlflow/runs/get?run_id={runId}")).EnsureOk().Json.GetProperty("run");

        var info = response.Json.GetProperty("run_info");
        Assert.Equal("FINISHED", info.GetProperty("status").GetString());
        Assert.Equal(1700000009999, info.GetProperty("end_time").GetInt64());
        Assert.Equal("renamed", info.GetProperty("run_name").GetString());
        Assert.Equal("renamed", Tags(run)["mlflow.runName"]);
    }

    [Theory]
    [MemberData(nameof(Backends.All), MemberType = typeof(Backends))]
    public async Task Update_UnknownStatus_IsInvalid(string backend)
    {
        var api = _servers.Api(backend);
        var runId = await api.CreateRunAsync(await api.CreateExperimentAsync());

        var response = await api.PostAsync("runs/update", $$"""{"run_id": "{{runId}}", "status": "DONE"}""");

        response.AssertError(HttpStatusCode.BadRequest, "INVALID_PARAMETER_VALUE");
    }

    [Theory]
    [MemberData(nameof(Backends.All), MemberType = typeof(Backends))]
    public async Task DeletedRun_RejectsWritesUntilRestored(string backend)
    {
        var api = _servers.Api(backend);
        var runId = await api.CreateRunAsync(await api.CreateExperimentAsync());

        (await api.PostAsync("runs/delete", $$"""{"run_id": "{{runId}}"}""")).EnsureOk();
        var deleted = (await api.GetAsync($"/api/2.0/mlflow/runs/get?run_id={runId}")).EnsureOk();
        var logToDeleted = await api.PostAsync("runs/log-metric", $$"""{"run_id": "{{runId}}", "key": "m", "value": 1, "timestamp": 1, "step": 0}""");
        var tagDeleted = await api.PostAsync("runs/set-tag", $$"""{"run_id": "{{runId}}", "key": "k", "value": "v"}""");
        (await api.PostAsync("runs/restore", $$"""{"run_id": "{{runId}}"}""")).EnsureOk();
        var logToRestored = await api.PostAsync("runs/log-metric", $$"""{"run_id": "{{runId}}", "key": "m", "value": 1, "timestamp": 1, "step": 0}""");

        Assert.Equal("deleted", deleted.Json.GetProperty("run").GetProperty("info").GetProperty("lifecycle_stage").GetString());
        logToDeleted.AssertError(HttpStatusCode.BadRequest, "INVALID_PARAMETER_VALUE");
        tagDeleted.AssertError(HttpStatusCode.BadRequest, "INVALID_PARAMETER_VALUE");
        logToRestored.EnsureOk();
    }

    [Theory]
    [MemberData(nameof(Backends.All), MemberType = typeof(Backends))]
    public async Task SetTagAndDeleteTag_ChangeRunTags(string backend)
    {
        var api = _servers.Api(backend);
        var runId = await api.CreateRunAsync(await api.CreateExperimentAsync());

        (await api.PostAsync("runs/set-tag", $$"""{"run_id": "{{runId}}", "run_uuid": "{{runId}}", "key": "stage", "value": "a"}""")).EnsureOk();
        (await api.PostAsync("runs/set-tag", $$"""{"run_id": "{{runId}}", "key": "stage", "value": "b"}""")).EnsureOk();
        var afterSet = (await api.GetAsync($"/api/2.0/mlflow/runs/get?run_id={runId}")).EnsureOk().Json.GetProperty("run");
        (await api.PostAsync("runs/delete-tag", $$"""{"run_id": "{{runId}}", "key": "stage"}""")).EnsureOk();
        var afterDelete = (await api.GetAsync($"/api/2.0/mlflow/runs/get?run_id={runId}")).EnsureOk().Json.GetProperty("run");
        var deleteMissing = await api.PostAsync("runs/delete-tag", $$"""{"run_id": "{{runId}}", "key": "stage"}""");

        Assert.Equal("b", Tags(afterSet)["stage"]);
        Assert.False(Tags(afterDelete).ContainsKey("stage"));
        deleteMissing.AssertError(HttpStatusCode.NotFound, "RESOURCE_DOES_NOT_EXIST");
    }

    [Theory]
    [MemberData(nameof(Backends.All), MemberType = typeof(Backends))]
    public async Task SetRunNameTag_RenamesRun(string backend)
    {
        var api = _servers.Api(backend);
        var runId = await api.CreateRunAsync(await api.CreateExperimentAsync());

        (await api.PostAsync("runs/set-tag", $$"""{"run_id": "{{runId}}", "key": "mlflow.runName", "value": "via-tag"}""")).EnsureOk();
        var run = (await api.GetAsync($"/api/2.0/mlflow/runs/get?run_id={runId}")).EnsureOk().Json.GetProperty("run");

        Assert.Equal("via-tag", run.GetProperty("info").GetProperty("run_name").GetString());
    }

    [Theory]
    [MemberData(nameof(Backends.All), MemberType = typeof(Backends))]
    public async Task LogParameter_SameValueOk_DifferentValueInvalid(string backend)
    {
        var api = _servers.Api(backend);
        var runId = await api.CreateRunAsync(await api.CreateExperimentAsync());

        var first = await api.PostAsync("runs/log-parameter", $$"""{"run_id": "{{runId}}", "key": "epochs", "value": "10"}""");
        var same = await api.PostAsync("runs/log-parameter", $$"""{"run_id": "{{runId}}", "key": "epochs", "value": "10"}""");
        var different = await api.PostAsync("runs/log-parameter", $$"""{"run_id": "{{runId}}", "key": "epochs", "value": "20"}""");

        first.EnsureOk();
        same.EnsureOk();
        different.AssertError(HttpStatusCode.BadRequest, "INVALID_PARAMETER_VALUE");
        Assert.Contains("epochs", different.Message, StringComparison.Ordinal);
    }

    [Theory]
    [MemberData(nameof(Backends.All), MemberType = typeof(Backends))]
    public async Task LogInputs_StoresDatasetsWithTags(string backend)
    {
        var api = _servers.Api(backend);
        var runId = await api.CreateRunAsync(await api.CreateExperimentAsync());
        var body = $$$"""
            {"run_id": "{{{runId}}}", "datasets": [{"tags": [{"key": "mlflow.data.context", "value": "training"}],
              "dataset": {"name": "frappe", "digest": "abc123", "source_type": "local", "source": "{\"uri\": \"/data/frappe\"}", "schema": "{\"cols\": 3}", "profile": "{\"rows\": 10}"}}]}
            """;

        (await api.PostAsync("runs/log-inputs", body)).EnsureOk();
        (await api.PostAsync("runs/log-inputs", body)).EnsureOk();
        var run = (await api.GetAsync($"/api/2.0/mlflow/runs/get?run_id={runId}")).EnsureOk().Json.GetProperty("run");

        var input = Assert.Single(run.GetProperty("inputs").GetProperty("dataset_inputs").EnumerateArray());
        var dataset = input.GetProperty("dataset");
        Assert.Equal("frappe", dataset.GetProperty("name").GetString());
        Assert.Equal("abc123", dataset.GetProperty("digest").GetString());
        Assert.Equal("local", dataset.GetProperty("source_type").GetString());
        Assert.Equal("{\"uri\": \"/data/frappe\"}", dataset.GetProperty("source").GetString());
        Assert.Equal("{\"cols\": 3}", dataset.GetProperty("schema").GetString());
        Assert.Equal("{\"rows\": 10}", dataset.GetProperty("profile").GetString());
        var tag = Assert.Single(input.GetProperty("tags").EnumerateArray());
        Assert.Equal("training", tag.GetProperty("value").GetString());
    }

    [Theory]
    [MemberData(nameof(Backends.All), MemberType = typeof(Backends))]
    public async Task LogInputs_DigestTooLong_IsInvalid(string backend)
    {
        var api = _servers.Api(backend);
        var runId = await api.CreateRunAsync(await api.CreateExperimentAsync());

        var response = await api.PostAsync("runs/log-inputs",
            $$$"""{"run_id": "{{{runId}}}", "datasets": [{"dataset": {"name": "d", "digest": "{{{new string('d', 37)}}}", "source_type": "local", "source": "s"}}]}""");

        response.AssertError(HttpStatusCode.BadRequest, "INVALID_PARAMETER_VALUE");
    }

    internal static Dictionary<string, string> Tags(JsonElement run) =>
        run.GetProperty("data").GetProperty("tags").EnumerateArray()
            .ToDictionary(tag => tag.GetProperty("key").GetString()!, tag => tag.GetProperty("value").GetString()!);
}
