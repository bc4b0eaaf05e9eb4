using System.Net;
using Microsoft.AspNetCore.Builder;
using Platform.Tracking.Hosting;
using Platform.Tracking.Tests.Infrastructure;

namespace Platform.Tracking.Tests.Hosting;

/// <summary>A server started with <c>--require-gateway</c> serves only requests that carry the gateway secret.</summary>
public sealed class RequireGatewayTests : IAsyncLifetime
{
    private const string Secret = "gateway-only-secret";
    private readonly string _folder = Path.Combine(Path.GetTempPath(), "require-gateway-" + Guid.NewGuid().ToString("N"));
    private WebApplication _app = null!;
    private TrackingApi _api = null!;

    public async Task InitializeAsync()
    {
        _app = TrackingServerApp.Build(new TrackingServerOptions
        {
            Host = "127.0.0.1",
            Port = 0,
            BackendStoreUri = "sqlite:///" + Path.Combine(_folder, "mlflow.db"),
            GatewaySecret = Secret,
            RequireGateway = true,
        });
        await _app.StartAsync();
        _api = new TrackingApi(new HttpClient { BaseAddress = TrackingServerApp.GetBaseAddress(_app) });
    }

    public async Task DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
        Directory.Delete(_folder, recursive: true);
    }

    [Fact]
    public async Task WithoutSecret_Returns401Json()
    {
        var response = await _api.GetAsync("/api/2.0/mlflow/experiments/get?experiment_id=0");

        Assert.Equal(HttpStatusCode.Unauthorized, response.Status);
        Assert.Equal("UNAUTHENTICATED", response.Json.GetProperty("error_code").GetString());
        Assert.Contains("only through the gateway", response.Json.GetProperty("message").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task WrongSecret_Returns401Json()
    {
        var response = await _api.SendAsync(HttpMethod.Get, "/api/2.0/mlflow/experiments/get?experiment_id=0", null,
            new Dictionary<string, string> { [GatewayIdentity.SecretHeader] = "guess" });

        Assert.Equal(HttpStatusCode.Unauthorized, response.Status);
    }

    [Fact]
    public async Task WithSecret_ServesRequest()
    {
        var response = await _api.SendAsync(HttpMethod.Get, "/api/2.0/mlflow/experiments/get?experiment_id=0", null,
            new Dictionary<string, string> { [GatewayIdentity.SecretHeader] = Secret });

        response.EnsureOk();
        Assert.Equal("Default", response.Json.GetProperty("experiment").GetProperty("name").GetString());
    }

    [Fact]
    public async Task HealthProbes_NeedNoSecret()
    {
        using var liveness = await _api.Http.GetAsync("/healthz");
        using var readiness = await _api.Http.GetAsync("/readyz");

        Assert.Equal(HttpStatusCode.OK, liveness.StatusCode);
        Assert.Equal(HttpStatusCode.OK, readiness.StatusCode);
    }

    [Fact]
    public void CommandLine_RequireWithoutSecret_IsRejected()
    {
        var options = CommandLine.Parse(["--require-gateway"], _ => null, out var error);

        Assert.Null(options);
        Assert.Contains("--require-gateway needs the gateway secret", error, StringComparison.Ordinal);
    }

    [Fact]
    public void CommandLine_RequireFromEnvironment_IsRead()
    {
        var environment = new Dictionary<string, string> { ["LABPLATFORM_REQUIRE_GATEWAY"] = "true", ["LABPLATFORM_GATEWAY_SECRET"] = "s" };

        var options = CommandLine.Parse([], name => environment.GetValueOrDefault(name), out var error);

        Assert.Null(error);
        Assert.True(options!.RequireGateway);
    }
}
