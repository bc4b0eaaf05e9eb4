using System.Net;
using System.Text;
using Microsoft.AspNetCore.Builder;
using Platform.Tracking.Hosting;
using Platform.Tracking.Tests.Infrastructure;

namespace Platform.Tracking.Tests.Artifacts;

/// <summary>
/// The server started with <c>--artifacts-destination</c> hosts the artifact proxy and <c>artifacts/list</c>, so
/// the MLflow client's log_artifact / list_artifacts / download_artifacts sequence works against it.
/// </summary>
public sealed class ArtifactServingTests : IAsyncLifetime
{
    private readonly string _folder = Path.Combine(Path.GetTempPath(), "tracking-artifacts-" + Guid.NewGuid().ToString("N"));
    private WebApplication? _app;
    private WebApplication? _appWithoutStore;
    private TrackingApi _api = null!;
    private TrackingApi _apiWithoutStore = null!;

    public async Task InitializeAsync()
    {
        _app = TrackingServerApp.Build(new TrackingServerOptions
        {
            Host = "127.0.0.1",
            Port = 0,
            BackendStoreUri = "sqlite:///" + Path.Combine(_folder, "mlflow.db"),
            ArtifactsDestination = Path.Combine(_folder, "artifacts"),
        });
        await _app.StartAsync();
        _api = new TrackingApi(new HttpClient { BaseAddress = TrackingServerApp.GetBaseAddress(_app) });

        _appWithoutStore = TrackingServerApp.Build(new TrackingServerOptions
        {
            Host = "127.0.0.1",
            Port = 0,
            BackendStoreUri = "sqlite:///" + Path.Combine(_folder, "no-store.db"),
        });
        await _appWithoutStore.StartAsync();
        _apiWithoutStore = new TrackingApi(new HttpClient { BaseAddress = TrackingServerApp.GetBaseAddress(_appWithoutStore) });
    }

    public async Task DisposeAsync()
    {
        foreach (var app in new[] { _app, _appWithoutStore })
        {
            if (app is not null)
            {
                await app.StopAsync();
                await app.DisposeAsync();
            }
        }

        Directory.Delete(_folder, recursive: true);
    }

    [Fact]
    public async Task LogListDownload_RoundTripsThroughProxy()
    {
        var experimentId = await _api.CreateExperimentAsync();
        var runId = await _api.CreateRunAsync(experimentId);

        // log_artifact("model.txt", artifact_path="model") sends one PUT with the raw body.
        using var put = new HttpRequestMessage(HttpMethod.Put,
            $"/api/2.0/mlflow-artifacts/artifacts/{experimentId}/{runId}/artifacts/model/model.txt")
        {
            Content = new ByteArrayContent(Encoding.UTF8.GetBytes("weights")),
        };
        using var putResponse = await _api.Http.SendAsync(put);
        Assert.Equal(HttpStatusCode.OK, putResponse.StatusCode);

        var top = (await _api.GetAsync($"/api/2.0/mlflow/artifacts/list?run_id={runId}")).EnsureOk();
        Assert.Equal($"mlflow-artifacts:/{experimentId}/{runId}/artifacts", top.Json.GetProperty("root_uri").GetString());
        var folder = Assert.Single(top.Json.GetProperty("files").EnumerateArray());
        Assert.Equal("model", folder.GetProperty("path").GetString());
        Assert.True(folder.GetProperty("is_dir").GetBoolean());

        var nested = (await _api.GetAsync($"/api/2.0/mlflow/artifacts/list?run_id={runId}&path=model")).EnsureOk();
        var file = Assert.Single(nested.Json.GetProperty("files").EnumerateArray());
        Assert.Equal("model/model.txt", file.GetProperty("path").GetString());
        Assert.False(file.GetProperty("is_dir").GetBoolean());
        Assert.Equal(7, file.GetProperty("file_size").GetInt64());

        var body = await _api.Http.GetStringAsync($"/api/2.0/mlflow-artifacts/artifacts/{experimentId}/{runId}/artifacts/model/model.txt");
        Assert.Equal("weights", body);
    }

    [Fact]
    public async Task List_UnknownRun_Returns404()
    {
        var response = await _api.GetAsync("/api/2.0/mlflow/artifacts/list?run_id=0123456789abcdef0123456789abcdef");

        Assert.Equal(HttpStatusCode.NotFound, response.Status);
        Assert.Equal("RESOURCE_DOES_NOT_EXIST", response.Json.GetProperty("error_code").GetString());
    }

    [Fact]
    public async Task List_PathEscapingRun_Returns400()
    {
        var experimentId = await _api.CreateExperimentAsync();
        var runId = await _api.CreateRunAsync(experimentId);

        var response = await _api.GetAsync($"/api/2.0/mlflow/artifacts/list?run_id={runId}&path=..%2F..%2Fother");

        Assert.Equal(HttpStatusCode.BadRequest, response.Status);
        Assert.Equal("INVALID_PARAMETER_VALUE", response.Json.GetProperty("error_code").GetString());
    }

    [Fact]
    public async Task List_WithoutArtifactStore_Returns501()
    {
        var experimentId = await _apiWithoutStore.CreateExperimentAsync();
        var runId = await _apiWithoutStore.CreateRunAsync(experimentId);

        var response = await _apiWithoutStore.GetAsync($"/api/2.0/mlflow/artifacts/list?run_id={runId}");

        Assert.Equal(HttpStatusCode.NotImplemented, response.Status);
        Assert.Equal("NOT_IMPLEMENTED", response.Json.GetProperty("error_code").GetString());
        Assert.Contains("--artifacts-destination", response.Json.GetProperty("message").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Missing_artifact_message_keeps_apostrophes()
    {
        var experimentId = await _api.CreateExperimentAsync();
        var runId = await _api.CreateRunAsync(experimentId);

        var response = await _api.GetAsync($"/api/2.0/mlflow-artifacts/artifacts/{experimentId}/{runId}/artifacts/it's-missing.txt");

        response.AssertError(HttpStatusCode.NotFound, "RESOURCE_DOES_NOT_EXIST");
        Assert.Contains("'", response.Body, StringComparison.Ordinal);
        Assert.Contains("it's-missing.txt", response.Body, StringComparison.Ordinal);
        Assert.DoesNotContain("\\u0027", response.Body, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Root_describes_server()
    {
        var response = (await _api.GetAsync("/")).EnsureOk();
        var paths = response.Json.GetProperty("api_base_paths").EnumerateArray().Select(p => p.GetString()).ToList();

        Assert.Equal("Lab Platform tracking server", response.Json.GetProperty("service").GetString());
        Assert.False(string.IsNullOrWhiteSpace(response.Json.GetProperty("version").GetString()));
        Assert.Equal(["/api/2.0/mlflow/", "/api/2.0/mlflow-artifacts/", "/api/3.0/mlflow/"], paths);
        Assert.Equal("/healthz", response.Json.GetProperty("health_paths").GetProperty("liveness").GetString());
        Assert.Equal("/readyz", response.Json.GetProperty("health_paths").GetProperty("readiness").GetString());
        Assert.Contains("no web UI", response.Json.GetProperty("description").GetString(), StringComparison.Ordinal);
        Assert.Contains("MLflow client", response.Json.GetProperty("description").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Root_without_artifact_store_omits_its_path()
    {
        var response = (await _apiWithoutStore.GetAsync("/")).EnsureOk();
        var paths = response.Json.GetProperty("api_base_paths").EnumerateArray().Select(p => p.GetString()).ToList();

        Assert.Equal(["/api/2.0/mlflow/", "/api/3.0/mlflow/"], paths);
    }
}
