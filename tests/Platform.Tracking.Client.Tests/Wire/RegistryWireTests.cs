namespace Platform.Tracking.Client.Tests;

public sealed class RegistryWireTests
{
    private const string VersionJson = """{"model_version":{"name":"ctr","version":"4","status":"READY","source":"runs:/r1/model","run_id":"r1","aliases":["champion"]}}""";

    [Fact]
    public async Task SetAlias_PostsJsonBody()
    {
        await using var server = await RecordingServer.StartAsync("/u/alice");
        server.OnJson("POST", "/api/2.0/mlflow/registered-models/alias", "{}");
        using var client = TestClients.Create(server);

        await client.Registry.SetAliasAsync("ctr", "champion", "4");

        var request = Assert.Single(server.Requests);
        Assert.Equal("/u/alice/api/2.0/mlflow/registered-models/alias", request.Path);
        Assert.Equal("""{"name":"ctr","alias":"champion","version":"4"}""", request.Body);
    }

    [Fact]
    public async Task DeleteAlias_SendsDeleteWithBody()
    {
        await using var server = await RecordingServer.StartAsync();
        server.OnJson("DELETE", "/api/2.0/mlflow/registered-models/alias", "{}");
        using var client = TestClients.Create(server);

        await client.Registry.DeleteAliasAsync("ctr", "champion");

        var request = Assert.Single(server.Requests);
        Assert.Equal("DELETE", request.Method);
        Assert.Equal("""{"name":"ctr","alias":"champion"}""", request.Body);
        Assert.StartsWith("application/json", request.Header("Content-Type"), StringComparison.Ordinal);
    }

    [Fact]
    public async Task GetByAlias_UsesQuery()
    {
        await using var server = await RecordingServer.StartAsync();
        server.OnJson("GET", "/api/2.0/mlflow/registered-models/alias", VersionJson);
        using var client = TestClients.Create(server);

        var version = await client.Registry.GetModelVersionByAliasAsync("ctr", "champion");

        Assert.Equal("4", version.Version);
        Assert.Equal(["champion"], version.Aliases);
        var request = Assert.Single(server.Requests);
        Assert.Equal(["ctr"], request.Query("name"));
        Assert.Equal(["champion"], request.Query("alias"));
    }

    [Fact]
    public async Task CreateVersionFromRun_UsesRunsUri()
    {
        await using var server = await RecordingServer.StartAsync();
        server.OnJson("POST", "/api/2.0/mlflow/model-versions/create", VersionJson);
        using var client = TestClients.Create(server);

        var version = await client.Registry.CreateModelVersionFromRunAsync("ctr", "r1", "model", useRunsUri: true);

        Assert.Equal("4", version.Version);
        Assert.Equal("""{"name":"ctr","source":"runs:/r1/model","run_id":"r1"}""", Assert.Single(server.Requests).Body);
    }

    [Fact]
    public async Task CreateVersionFromRun_UsesArtifactUri()
    {
        await using var server = await RecordingServer.StartAsync();
        server.OnJson("GET", "/api/2.0/mlflow/runs/get", $$"""{"run":{{MlflowStubs.RunJson()}}}""");
        server.OnJson("POST", "/api/2.0/mlflow/model-versions/create", VersionJson);
        using var client = TestClients.Create(server);

        await client.Registry.CreateModelVersionFromRunAsync("ctr", MlflowStubs.RunId, "model");

        var create = server.RequestsTo("/api/2.0/mlflow/model-versions/create").Single().Json;
        Assert.Equal($"{MlflowStubs.ArtifactUri}/model", create.GetProperty("source").GetString());
    }

    [Fact]
    public async Task RegistryCalls_UseMlflowMethods()
    {
        await using var server = await RecordingServer.StartAsync();
        const string modelJson = """{"registered_model":{"name":"ctr","aliases":[{"alias":"champion","version":"4"}]}}""";
        server.OnJson("POST", "/api/2.0/mlflow/registered-models/create", modelJson);
        server.OnJson("GET", "/api/2.0/mlflow/registered-models/get", modelJson);
        server.OnJson("PATCH", "/api/2.0/mlflow/registered-models/update", modelJson);
        server.OnJson("POST", "/api/2.0/mlflow/registered-models/rename", modelJson);
        server.OnJson("DELETE", "/api/2.0/mlflow/registered-models/delete", "{}");
        server.OnJson("POST", "/api/2.0/mlflow/registered-models/set-tag", "{}");
        server.OnJson("DELETE", "/api/2.0/mlflow/registered-models/delete-tag", "{}");
        server.OnJson("GET", "/api/2.0/mlflow/registered-models/search", """{"registered_models":[{"name":"ctr"}]}""");
        server.OnJson("GET", "/api/2.0/mlflow/model-versions/get", VersionJson);
        server.OnJson("GET", "/api/2.0/mlflow/model-versions/search", """{"model_versions":[{"name":"ctr","version":"4"}]}""");
        server.OnJson("PATCH", "/api/2.0/mlflow/model-versions/update", VersionJson);
        server.OnJson("DELETE", "/api/2.0/mlflow/model-versions/delete", "{}");
        server.OnJson("POST", "/api/2.0/mlflow/model-versions/set-tag", "{}");
        server.OnJson("DELETE", "/api/2.0/mlflow/model-versions/delete-tag", "{}");
        server.OnJson("POST", "/api/2.0/mlflow/model-versions/transition-stage", VersionJson);
        server.OnJson("GET", "/api/2.0/mlflow/model-versions/get-download-uri", """{"artifact_uri":"mlflow-artifacts:/0/r1/artifacts/model"}""");
        using var client = TestClients.Create(server);

        var created = await client.Registry.CreateRegisteredModelAsync("ctr", "click model", new Dictionary<string, string> { ["team"] = "ads" });
        await client.Registry.GetRegisteredModelAsync("ctr");
        await client.Registry.UpdateRegisteredModelAsync("ctr", "new text");
        await client.Registry.RenameRegisteredModelAsync("ctr", "ctr2");
        await client.Registry.SetRegisteredModelTagAsync("ctr", "k", "v");
        await client.Registry.DeleteRegisteredModelTagAsync("ctr", "k");
        var models = await client.Registry.SearchRegisteredModelsAsync("name LIKE 'c%'", 10);
        await client.Registry.GetModelVersionAsync("ctr", "4");
        var versions = await client.Registry.SearchModelVersionsAsync("name='ctr'");
        await client.Registry.UpdateModelVersionAsync("ctr", "4", "d");
        await client.Registry.SetModelVersionTagAsync("ctr", "4", "k", "v");
        await client.Registry.DeleteModelVersionTagAsync("ctr", "4", "k");
        await client.Registry.TransitionStageAsync("ctr", "4", "Production", archiveExistingVersions: true);
        var downloadUri = await client.Registry.GetDownloadUriAsync("ctr", "4");
        await client.Registry.DeleteModelVersionAsync("ctr", "4");
        await client.Registry.DeleteRegisteredModelAsync("ctr");

        Assert.Equal(new RegisteredModelAlias("champion", "4"), Assert.Single(created.Aliases));
        Assert.Single(models.RegisteredModels);
        Assert.Single(versions.ModelVersions);
        Assert.Equal("mlflow-artifacts:/0/r1/artifacts/model", downloadUri);
        Assert.DoesNotContain(server.Requests, r => r.Body.Contains("ENDPOINT_NOT_FOUND", StringComparison.Ordinal));
        Assert.Equal(16, server.Requests.Count);
        var bodies = server.Requests.ToDictionary(r => $"{r.Method} {r.Path}", r => r.Body.Length > 0 ? r.Body : r.QueryString);
        Assert.Equal("""{"name":"ctr","tags":[{"key":"team","value":"ads"}],"description":"click model"}""", bodies["POST /api/2.0/mlflow/registered-models/create"]);
        Assert.Equal("""{"name":"ctr","version":"4","stage":"Production","archive_existing_versions":true}""", bodies["POST /api/2.0/mlflow/model-versions/transition-stage"]);
        Assert.Equal("""{"name":"ctr","version":"4","key":"k"}""", bodies["DELETE /api/2.0/mlflow/model-versions/delete-tag"]);
        Assert.Equal("?filter=name%20LIKE%20%27c%25%27&max_results=10", bodies["GET /api/2.0/mlflow/registered-models/search"]);
    }
}
