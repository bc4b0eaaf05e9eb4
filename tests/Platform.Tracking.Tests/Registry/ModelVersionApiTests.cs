using System.Net;
using System.Text.Json;
using Platform.Tracking.Tests.Infrastructure;

namespace Platform.Tracking.Tests.Registry;

[Collection(RegistryServersCollection.Name)]
public sealed class ModelVersionApiTests
{
    private readonly RegistryServersFixture _servers;

    public ModelVersionApiTests(RegistryServersFixture servers)
    {
        _servers = servers;
    }

    [Theory]
    [MemberData(nameof(Backends.All), MemberType = typeof(Backends))]
    public async Task Create_FromRunsUri_ReturnsAllFields(string backend)
    {
        var api = _servers.Api(backend);
        var runId = await api.CreateRunAsync();
        var name = await api.CreateModelAsync();

        var created = (await api.PostAsync("model-versions/create",
            $$"""
            {"name": "{{name}}", "source": "runs:/{{runId}}/model", "run_id": "{{runId}}",
             "tags": [{"key": "framework", "value": "ffm"}], "run_link": "http://ui/run", "description": "first"}
            """)).EnsureOk().Json.GetProperty("model_version");
        var fetched = (await api.GetAsync($"/api/2.0/mlflow/model-versions/get?name={name}&version=1")).EnsureOk()
            .Json.GetProperty("model_version");

        foreach (var version in new[] { created, fetched })
        {
            Assert.Equal(name, version.GetProperty("name").GetString());
            Assert.Equal(JsonValueKind.String, version.GetProperty("version").ValueKind);
            Assert.Equal("1", version.GetProperty("version").GetString());
            Assert.True(version.GetProperty("creation_timestamp").GetInt64() > 1_600_000_000_000);
            Assert.True(version.GetProperty("last_updated_timestamp").GetInt64() >= version.GetProperty("creation_timestamp").GetInt64());
            Assert.Equal("None", version.GetProperty("current_stage").GetString());
            Assert.Equal("first", version.GetProperty("description").GetString());
            Assert.Equal($"runs:/{runId}/model", version.GetProperty("source").GetString());
            Assert.Equal(runId, version.GetProperty("run_id").GetString());
            Assert.Equal("http://ui/run", version.GetProperty("run_link").GetString());
            Assert.Equal("READY", version.GetProperty("status").GetString());
            Assert.Equal("framework", Assert.Single(version.GetProperty("tags").EnumerateArray()).GetProperty("key").GetString());
            Assert.Empty(version.GetProperty("aliases").EnumerateArray());
            Assert.False(version.TryGetProperty("user_id", out _));
        }
    }

    [Theory]
    [MemberData(nameof(Backends.All), MemberType = typeof(Backends))]
    public async Task Create_WithGatewayUser_RecordsUserId(string backend)
    {
        var api = _servers.Api(backend);
        var name = await api.CreateModelAsync();
        var headers = new Dictionary<string, string>
        {
            ["X-LabPlatform-User"] = "alice@lab.example",
            ["X-LabPlatform-Gateway-Secret"] = RegistryServersFixture.GatewaySecret,
        };

        var version = (await api.PostAsync("model-versions/create",
            $$"""{"name": "{{name}}", "source": "mlflow-artifacts:/0/abc/artifacts/model"}""", headers)).EnsureOk().Json.GetProperty("model_version");

        Assert.Equal("alice@lab.example", version.GetProperty("user_id").GetString());
    }

    [Theory]
    [MemberData(nameof(Backends.All), MemberType = typeof(Backends))]
    public async Task GetDownloadUri_ResolvesRunsSource(string backend)
    {
        var api = _servers.Api(backend);
        var runId = await api.CreateRunAsync();
        var run = (await api.GetAsync($"/api/2.0/mlflow/runs/get?run_id={runId}")).EnsureOk().Json.GetProperty("run");
        var artifactUri = run.GetProperty("info").GetProperty("artifact_uri").GetString();
        var name = await api.CreateModelAsync();
        var version = await api.CreateVersionAsync(name, runId, "models/ffm");

        var response = (await api.GetAsync($"/api/2.0/mlflow/model-versions/get-download-uri?name={name}&version={version}")).EnsureOk();

        Assert.Equal($"{artifactUri}/models/ffm", response.Json.GetProperty("artifact_uri").GetString());
    }

    [Theory]
    [MemberData(nameof(Backends.All), MemberType = typeof(Backends))]
    public async Task GetDownloadUri_KeepsArtifactUriSource(string backend)
    {
        var api = _servers.Api(backend);
        var name = await api.CreateModelAsync();
        (await api.PostAsync("model-versions/create", $$"""{"name": "{{name}}", "source": "gs://bucket/alice/model"}""")).EnsureOk();

        var response = (await api.GetAsync($"/api/2.0/mlflow/model-versions/get-download-uri?name={name}&version=1")).EnsureOk();

        Assert.Equal("gs://bucket/alice/model", response.Json.GetProperty("artifact_uri").GetString());
    }

    [Theory]
    [MemberData(nameof(Backends.All), MemberType = typeof(Backends))]
    public async Task Create_UnknownRunInSource_IsNotFound(string backend)
    {
        var api = _servers.Api(backend);
        var name = await api.CreateModelAsync();

        var response = await api.PostAsync("model-versions/create", $$"""{"name": "{{name}}", "source": "runs:/0123456789abcdef0123456789abcdef/model"}""");

        response.AssertError(HttpStatusCode.NotFound, "RESOURCE_DOES_NOT_EXIST");
    }

    [Theory]
    [MemberData(nameof(Backends.All), MemberType = typeof(Backends))]
    public async Task Create_LocalOrClimbingSource_IsInvalid(string backend)
    {
        var api = _servers.Api(backend);
        var name = await api.CreateModelAsync();

        foreach (var source in new[] { "/etc/passwd", "file:///etc/passwd", "model", "mlflow-artifacts:/0/run/../../other", "mlflow-artifacts:/0/run/%252e%252e/other" })
        {
            var response = await api.PostAsync("model-versions/create", $$"""{"name": "{{name}}", "source": "{{source}}"}""");

            response.AssertError(HttpStatusCode.BadRequest, "INVALID_PARAMETER_VALUE");
            Assert.Contains(source, response.Message, StringComparison.Ordinal);
        }
    }

    [Theory]
    [MemberData(nameof(Backends.All), MemberType = typeof(Backends))]
    public async Task Create_MissingSource_IsInvalid(string backend)
    {
        var api = _servers.Api(backend);
        var name = await api.CreateModelAsync();

        var response = await api.PostAsync("model-versions/create", $$"""{"name": "{{name}}"}""");

        response.AssertError(HttpStatusCode.BadRequest, "INVALID_PARAMETER_VALUE");
        Assert.Contains("'source'", response.Message, StringComparison.Ordinal);
    }

    [Theory]
    [MemberData(nameof(Backends.All), MemberType = typeof(Backends))]
    public async Task VersionNumbers_IncreaseAndAreNotReused(string backend)
    {
        var api = _servers.Api(backend);
        var runId = await api.CreateRunAsync();
        var name = await api.CreateModelAsync();
        Assert.Equal("1", await api.CreateVersionAsync(name, runId));
        Assert.Equal("2", await api.CreateVersionAsync(name, runId));

        (await api.DeleteAsync("model-versions/delete", $$"""{"name": "{{name}}", "version": "2"}""")).EnsureOk();

        Assert.Equal("3", await api.CreateVersionAsync(name, runId));
        (await api.GetAsync($"/api/2.0/mlflow/model-versions/get?name={name}&version=2")).AssertError(HttpStatusCode.NotFound, "RESOURCE_DOES_NOT_EXIST");
        (await api.DeleteAsync("model-versions/delete", $$"""{"name": "{{name}}", "version": "2"}""")).AssertError(HttpStatusCode.NotFound, "RESOURCE_DOES_NOT_EXIST");
    }

    [Theory]
    [MemberData(nameof(Backends.All), MemberType = typeof(Backends))]
    public async Task UnknownOrBadVersion_IsRejected(string backend)
    {
        var api = _servers.Api(backend);
        var name = await api.CreateModelAsync();

        var unknown = new[]
        {
            await api.GetAsync($"/api/2.0/mlflow/model-versions/get?name={name}&version=7"),
            await api.PatchAsync("model-versions/update", $$"""{"name": "{{name}}", "version": "7", "description": "x"}"""),
            await api.PostAsync("model-versions/transition-stage", $$"""{"name": "{{name}}", "version": "7", "stage": "Staging", "archive_existing_versions": false}"""),
            await api.PostAsync("model-versions/set-tag", $$"""{"name": "{{name}}", "version": "7", "key": "k", "value": "v"}"""),
            await api.DeleteAsync("model-versions/delete-tag", $$"""{"name": "{{name}}", "version": "7", "key": "k"}"""),
            await api.GetAsync($"/api/2.0/mlflow/model-versions/get-download-uri?name={name}&version=7"),
        };
        foreach (var response in unknown)
        {
            response.AssertError(HttpStatusCode.NotFound, "RESOURCE_DOES_NOT_EXIST");
            Assert.Contains("version=7", response.Message, StringComparison.Ordinal);
        }

        var notNumber = await api.GetAsync($"/api/2.0/mlflow/model-versions/get?name={name}&version=latest");
        notNumber.AssertError(HttpStatusCode.BadRequest, "INVALID_PARAMETER_VALUE");
        Assert.Contains("'latest'", notNumber.Message, StringComparison.Ordinal);
    }

    [Theory]
    [MemberData(nameof(Backends.All), MemberType = typeof(Backends))]
    public async Task UpdateAndTags_RoundTrip(string backend)
    {
        var api = _servers.Api(backend);
        var runId = await api.CreateRunAsync();
        var name = await api.CreateModelAsync();
        var version = await api.CreateVersionAsync(name, runId);

        var updated = (await api.PatchAsync("model-versions/update", $$"""{"name": "{{name}}", "version": "{{version}}", "description": "tuned"}""")).EnsureOk();
        (await api.PostAsync("model-versions/set-tag", $$"""{"name": "{{name}}", "version": "{{version}}", "key": "auc", "value": "0.81"}""")).EnsureOk();
        (await api.PostAsync("model-versions/set-tag", $$"""{"name": "{{name}}", "version": "{{version}}", "key": "tmp", "value": "1"}""")).EnsureOk();
        (await api.DeleteAsync("model-versions/delete-tag", $$"""{"name": "{{name}}", "version": "{{version}}", "key": "tmp"}""")).EnsureOk();

        Assert.Equal("tuned", updated.Json.GetProperty("model_version").GetProperty("description").GetString());
        var fetched = (await api.GetAsync($"/api/2.0/mlflow/model-versions/get?name={name}&version={version}")).EnsureOk().Json.GetProperty("model_version");
        Assert.Equal("tuned", fetched.GetProperty("description").GetString());
        var tag = Assert.Single(fetched.GetProperty("tags").EnumerateArray());
        Assert.Equal("auc", tag.GetProperty("key").GetString());
        Assert.Equal("0.81", tag.GetProperty("value").GetString());
    }

    [Theory]
    [MemberData(nameof(Backends.All), MemberType = typeof(Backends))]
    public async Task TransitionStage_ArchivesExistingVersions(string backend)
    {
        var api = _servers.Api(backend);
        var runId = await api.CreateRunAsync();
        var name = await api.CreateModelAsync();
        var first = await api.CreateVersionAsync(name, runId);
        var second = await api.CreateVersionAsync(name, runId);
        var third = await api.CreateVersionAsync(name, runId);
        (await api.PostAsync("model-versions/transition-stage",
            $$"""{"name": "{{name}}", "version": "{{first}}", "stage": "Production", "archive_existing_versions": false}""")).EnsureOk();
        (await api.PostAsync("model-versions/transition-stage",
            $$"""{"name": "{{name}}", "version": "{{second}}", "stage": "production", "archive_existing_versions": false}""")).EnsureOk();

        var moved = (await api.PostAsync("model-versions/transition-stage",
            $$"""{"name": "{{name}}", "version": "{{third}}", "stage": "Production", "archive_existing_versions": true}""")).EnsureOk();

        Assert.Equal("Production", moved.Json.GetProperty("model_version").GetProperty("current_stage").GetString());
        foreach (var archived in new[] { first, second })
        {
            var version = (await api.GetAsync($"/api/2.0/mlflow/model-versions/get?name={name}&version={archived}")).EnsureOk();
            Assert.Equal("Archived", version.Json.GetProperty("model_version").GetProperty("current_stage").GetString());
        }
    }

    [Theory]
    [MemberData(nameof(Backends.All), MemberType = typeof(Backends))]
    public async Task TransitionStage_BadStageOrArchive_IsInvalid(string backend)
    {
        var api = _servers.Api(backend);
        var runId = await api.CreateRunAsync();
        var name = await api.CreateModelAsync();
        var version = await api.CreateVersionAsync(name, runId);

        var badStage = await api.PostAsync("model-versions/transition-stage",
            $$"""{"name": "{{name}}", "version": "{{version}}", "stage": "Canary", "archive_existing_versions": false}""");
        var badArchive = await api.PostAsync("model-versions/transition-stage",
            $$"""{"name": "{{name}}", "version": "{{version}}", "stage": "Archived", "archive_existing_versions": true}""");
        var badFlag = await api.PostAsync("model-versions/transition-stage",
            $$"""{"name": "{{name}}", "version": "{{version}}", "stage": "Staging", "archive_existing_versions": "maybe"}""");

        badStage.AssertError(HttpStatusCode.BadRequest, "INVALID_PARAMETER_VALUE");
        Assert.Contains("Canary", badStage.Message, StringComparison.Ordinal);
        badArchive.AssertError(HttpStatusCode.BadRequest, "INVALID_PARAMETER_VALUE");
        Assert.Contains("Archived", badArchive.Message, StringComparison.Ordinal);
        badFlag.AssertError(HttpStatusCode.BadRequest, "INVALID_PARAMETER_VALUE");
        Assert.Contains("archive_existing_versions", badFlag.Message, StringComparison.Ordinal);
    }

    [Theory]
    [MemberData(nameof(Backends.All), MemberType = typeof(Backends))]
    public async Task GetLatestVersions_PerStage_PostAndGet(string backend)
    {
        var api = _servers.Api(backend);
        var runId = await api.CreateRunAsync();
        var name = await api.CreateModelAsync();
        var first = await api.CreateVersionAsync(name, runId);
        var second = await api.CreateVersionAsync(name, runId);
        var third = await api.CreateVersionAsync(name, runId);
        (await api.PostAsync("model-versions/transition-stage",
            $$"""{"name": "{{name}}", "version": "{{first}}", "stage": "Production", "archive_existing_versions": false}""")).EnsureOk();

        var production = (await api.PostAsync("registered-models/get-latest-versions", $$"""{"name": "{{name}}", "stages": ["production"]}""")).EnsureOk();
        var all = (await api.GetAsync($"/api/2.0/mlflow/registered-models/get-latest-versions?name={name}")).EnsureOk();
        var model = (await api.GetAsync($"/api/2.0/mlflow/registered-models/get?name={name}")).EnsureOk();

        Assert.Equal(first, Assert.Single(production.Json.GetProperty("model_versions").EnumerateArray()).GetProperty("version").GetString());
        var latest = all.Json.GetProperty("model_versions").EnumerateArray()
            .ToDictionary(version => version.GetProperty("current_stage").GetString()!, version => version.GetProperty("version").GetString());
        Assert.Equal(2, latest.Count);
        Assert.Equal(first, latest["Production"]);
        Assert.Equal(third, latest["None"]);
        Assert.NotEqual(second, latest["None"]);
        Assert.Equal(2, model.Json.GetProperty("registered_model").GetProperty("latest_versions").GetArrayLength());
        (await api.PostAsync("registered-models/get-latest-versions", $$"""{"name": "{{name}}", "stages": ["Canary"]}"""))
            .AssertError(HttpStatusCode.BadRequest, "INVALID_PARAMETER_VALUE");
    }

    [Theory]
    [MemberData(nameof(Backends.All), MemberType = typeof(Backends))]
    public async Task Create_PromptVersion_KeepsPlaceholderSource(string backend)
    {
        var api = _servers.Api(backend);
        var name = RegistryCalls.UniqueName("prompt");
        (await api.PostAsync("registered-models/create",
            $$"""{"name": "{{name}}", "tags": [{"key": "mlflow.prompt.is_prompt", "value": "true"}]}""")).EnsureOk();

        var template = "Hello {{name}}";

        // mlflow.genai.register_prompt sends the template as a tag and "dummy-source" as the required source.
        var version = (await api.PostAsync("model-versions/create",
            $$"""
            {"name": "{{name}}", "source": "dummy-source", "description": "first prompt",
             "tags": [{"key": "mlflow.prompt.is_prompt", "value": "true"}, {"key": "mlflow.prompt.text", "value": "{{template}}"}]}
            """)).EnsureOk().Json.GetProperty("model_version");

        Assert.Equal("1", version.GetProperty("version").GetString());
        Assert.Equal("dummy-source", version.GetProperty("source").GetString());
        var tags = version.GetProperty("tags").EnumerateArray().ToDictionary(tag => tag.GetProperty("key").GetString()!, tag => tag.GetProperty("value").GetString());
        Assert.Equal("Hello {{name}}", tags["mlflow.prompt.text"]);
        Assert.Equal("true", tags["mlflow.prompt.is_prompt"]);
    }
}
