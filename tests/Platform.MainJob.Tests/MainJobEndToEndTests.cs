using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Platform.Testing;

namespace Platform.MainJob.Tests;

/// <summary>
/// Runs the main job once, as <c>make run</c> does but with fewer epochs, on free loopback ports, and keeps the
/// platform running for the tests of <see cref="MainJobEndToEndTests"/>.
/// </summary>
public sealed class MainJobFixture : IAsyncLifetime
{
    private readonly string _dataDirectory = Path.Combine(Path.GetTempPath(), "mainjob-e2e-" + Guid.NewGuid().ToString("N"));
    private readonly StringWriter _output = new();

    public RunningPlatform Platform { get; private set; } = null!;

    public string Output => _output.ToString();

    public async Task InitializeAsync()
    {
        var gatewayPort = TcpPorts.GetFreePort();
        var inferencePort = TcpPorts.GetFreePort();
        var options = new MainJobOptions
        {
            DataDirectory = _dataDirectory,
            RepositoryRoot = RepositoryPaths.Root,
            Configuration = new DirectoryInfo(AppContext.BaseDirectory).Parent!.Name,
            GatewayPort = gatewayPort,
            InferencePort = inferencePort == gatewayPort ? TcpPorts.GetFreePort() : inferencePort,
            Epochs = 3,
            KeepRunning = false,
        };
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(5));
        try
        {
            Platform = await new MainJobRunner(options, TextWriter.Synchronized(_output)).StartAsync(timeout.Token);
        }
        catch (Exception ex)
        {
            throw new InvalidOperationException($"The main job failed: {ex.Message}\nOutput:\n{_output}", ex);
        }
    }

    public async Task DisposeAsync()
    {
        if (Platform is not null)
        {
            await Platform.DisposeAsync();
        }

        if (Directory.Exists(_dataDirectory))
        {
            Directory.Delete(_dataDirectory, recursive: true);
        }
    }
}

/// <summary>Checks what the main job printed and what the platform it left running serves, and to whom.</summary>
public sealed class MainJobEndToEndTests : IClassFixture<MainJobFixture>
{
    private readonly MainJobFixture _fixture;
    private readonly RunningPlatform _platform;

    public MainJobEndToEndTests(MainJobFixture fixture)
    {
        _fixture = fixture;
        _platform = fixture.Platform;
    }

    [Fact]
    public void Job_PrintsEveryStepAndExports()
    {
        var text = _fixture.Output;

        for (var step = 1; step <= 6; step++)
        {
            Assert.Contains($"==> [{step}/6]", text, StringComparison.Ordinal);
        }

        Assert.Contains($"export MLFLOW_TRACKING_URI={_platform.Options.TenantTrackingUri}", text, StringComparison.Ordinal);
        Assert.Contains($"export MLFLOW_TRACKING_TOKEN={_platform.OwnerToken}", text, StringComparison.Ordinal);
        Assert.Contains("request latency: p50", text, StringComparison.Ordinal);
        Assert.Contains($"no earlier main-job token of {_platform.Options.Owner} to revoke", text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task EarlierTokens_OnlyMainJobOnesRevoked()
    {
        var user = _platform.Options.Collaborator;
        var first = await MintTokenAsync(user, EarlierTokenRevoker.TokenDescription);
        var second = await MintTokenAsync(user, EarlierTokenRevoker.TokenDescription);
        var manual = await MintTokenAsync(user, "minted by hand");
        using var http = new HttpClient { BaseAddress = _platform.Options.GatewayUrl };

        var revoked = await new EarlierTokenRevoker(http, _platform.AdminToken).RevokeAsync(user, _platform.Options.Tenant, CancellationToken.None);
        var again = await new EarlierTokenRevoker(http, _platform.AdminToken).RevokeAsync(user, _platform.Options.Tenant, CancellationToken.None);

        Assert.Equal(2, revoked.Count);
        Assert.Empty(again);
        Assert.Equal(HttpStatusCode.Unauthorized, (await GetRunAsync(Client(first))).Status);
        Assert.Equal(HttpStatusCode.Unauthorized, (await GetRunAsync(Client(second))).Status);
        Assert.Equal(HttpStatusCode.OK, (await GetRunAsync(Client(manual))).Status);
        Assert.Equal(HttpStatusCode.OK, (await GetRunAsync(Client(_platform.OwnerToken))).Status);
    }

    [Fact]
    public void Evaluation_ScoresEveryValidationRow()
    {
        var evaluation = _platform.Evaluation!;

        Assert.Equal(28_860, evaluation.Rows);
        Assert.Equal(289, evaluation.Requests);

        // Three epochs on Frappe reach about 0.28 logloss (libffm 1.21: 0.2805 at epoch 3).
        Assert.InRange(evaluation.Logloss, 0.2, 0.30);
        Assert.InRange(evaluation.Auc, 0.9, 1.0);
        Assert.True(evaluation.P50Milliseconds <= evaluation.P99Milliseconds);
    }

    [Fact]
    public async Task Owner_SeesRunWithMetricsAndModel()
    {
        using var http = Client(_platform.OwnerToken);

        var run = await GetRunAsync(http);

        Assert.Equal(HttpStatusCode.OK, run.Status);
        var data = run.Json.GetProperty("run").GetProperty("data");
        var metricKeys = data.GetProperty("metrics").EnumerateArray().Select(m => m.GetProperty("key").GetString()).ToList();
        Assert.Contains("validation_logloss", metricKeys);
        Assert.Contains("validation_auc", metricKeys);
        var user = run.Json.GetProperty("run").GetProperty("info").GetProperty("user_id").GetString();
        Assert.Equal(_platform.Options.Owner, user);

        var alias = await http.GetAsync($"{_platform.Options.TenantTrackingUri}/api/2.0/mlflow/registered-models/alias?name={_platform.Options.ModelName}&alias={_platform.Options.ModelAlias}");
        Assert.Equal(HttpStatusCode.OK, alias.StatusCode);
        var version = JsonDocument.Parse(await alias.Content.ReadAsStringAsync()).RootElement.GetProperty("model_version");
        Assert.Equal(_platform.ModelVersion, version.GetProperty("version").GetString());
        Assert.Equal(_platform.TrainingRunId, version.GetProperty("run_id").GetString());
    }

    [Fact]
    public async Task Collaborator_ReadsOwnersRuns()
    {
        var token = await MintTokenAsync(_platform.Options.Collaborator);
        using var http = Client(token);

        var run = await GetRunAsync(http);

        Assert.Equal(HttpStatusCode.OK, run.Status);
        Assert.Equal(_platform.TrainingRunId, run.Json.GetProperty("run").GetProperty("info").GetProperty("run_id").GetString());
    }

    [Fact]
    public async Task OtherUser_GetsJson403()
    {
        var token = await MintTokenAsync("carol@example.com");
        using var http = Client(token);

        var run = await GetRunAsync(http);

        Assert.Equal(HttpStatusCode.Forbidden, run.Status);
        Assert.Equal("PERMISSION_DENIED", run.Json.GetProperty("error_code").GetString());
    }

    [Fact]
    public async Task NoToken_GetsJson401()
    {
        using var http = new HttpClient();

        var run = await GetRunAsync(http);

        Assert.Equal(HttpStatusCode.Unauthorized, run.Status);
        Assert.Equal("UNAUTHENTICATED", run.Json.GetProperty("error_code").GetString());
    }

    [Fact]
    public async Task InferenceWorker_PredictsJsonInstances()
    {
        using var http = new HttpClient { BaseAddress = _platform.Options.InferenceUrl };
        var body = """{"instances": [[{"field": 0, "feature": 0, "value": 1.0}, {"field": 1, "feature": 1000, "value": 1.0}]]}""";

        using var response = await http.PostAsync($"/v1/models/{_platform.Options.ModelName}/predict", new StringContent(body, Encoding.UTF8, "application/json"));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var prediction = JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement.GetProperty("predictions")[0].GetDouble();
        Assert.InRange(prediction, 0.0, 1.0);
    }

    private HttpClient Client(string token)
    {
        var http = new HttpClient();
        http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);
        return http;
    }

    private async Task<(HttpStatusCode Status, JsonElement Json)> GetRunAsync(HttpClient http)
    {
        using var response = await http.GetAsync($"{_platform.Options.TenantTrackingUri}/api/2.0/mlflow/runs/get?run_id={_platform.TrainingRunId}");
        var text = await response.Content.ReadAsStringAsync();
        return (response.StatusCode, JsonDocument.Parse(text).RootElement.Clone());
    }

    // Mints a token through the gateway's admin API, as 'labctl token create' does.
    private async Task<string> MintTokenAsync(string user, string? description = null)
    {
        using var http = Client(_platform.AdminToken);
        using var response = await http.PostAsJsonAsync(new Uri(_platform.Options.GatewayUrl, "/admin/v1/tokens"), new { user, tenant = _platform.Options.Tenant, description });
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.IsSuccessStatusCode, $"minting a token for {user} failed: {(int)response.StatusCode} {text}");
        return JsonDocument.Parse(text).RootElement.GetProperty("secret").GetString()!;
    }
}
