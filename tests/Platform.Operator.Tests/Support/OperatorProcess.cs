using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Platform.Operator.Controller;
using Platform.Operator.Hosting;
using Platform.Testing.Kubernetes;

namespace Platform.Operator.Tests.Support;

/// <summary>A real operator host in the test process, pointed at a test API server, the test PostgreSQL and a local folder bucket.</summary>
internal sealed class OperatorProcess : IAsyncDisposable
{
    public const string GatewayBaseUrl = "https://lab.example.org";

    private readonly WebApplication _app;

    private OperatorProcess(WebApplication app, string identity)
    {
        _app = app;
        Identity = identity;
    }

    public string Identity { get; }

    public ControllerState State => _app.Services.GetRequiredService<ControllerState>();

    public IServiceProvider Services => _app.Services;

    /// <summary>Address of the probe and metrics port, for example <c>http://127.0.0.1:40123</c>.</summary>
    public string HealthUrl => _app.Urls.First();

    public static async Task<OperatorProcess> StartAsync(
        KubernetesTestServer server,
        string adminConnectionString,
        string storageRoot,
        string identity = "operator-a",
        string leaseName = "labplatform-operator",
        Action<IServiceCollection>? replaceServices = null)
    {
        var settings = new Dictionary<string, string?>
        {
            ["Operator:AdminConnectionString"] = adminConnectionString,
            ["Operator:StorageKind"] = "local",
            ["Operator:LocalStorageRoot"] = storageRoot,
            ["Operator:Bucket"] = "lab-artifacts",
            ["Operator:GatewayBaseUrl"] = GatewayBaseUrl,
            ["Operator:TrackingImage"] = "ghcr.io/labplatform/tracking:test",
            ["Operator:KubernetesUrl"] = server.Url,
            ["Operator:LeaseName"] = leaseName,
            ["Operator:Identity"] = identity,
            ["Operator:LeaseDuration"] = "00:00:03",
            ["Operator:RenewDeadline"] = "00:00:02",
            ["Operator:RetryPeriod"] = "00:00:00.200",
            ["Operator:Workers"] = "2",
            ["Operator:HealthAddress"] = "127.0.0.1",
            ["Operator:HealthPort"] = "0",
        };

        var app = OperatorHost.Build([], builder =>
        {
            builder.Configuration.AddInMemoryCollection(settings);
            builder.Logging.ClearProviders();

            // Set OPERATOR_TEST_LOGS=1 to see the operator's own logs while debugging a test.
            if (Environment.GetEnvironmentVariable("OPERATOR_TEST_LOGS") == "1")
            {
                builder.Logging.AddSimpleConsole().SetMinimumLevel(LogLevel.Debug);
            }

            replaceServices?.Invoke(builder.Services);
        });
        await app.StartAsync();
        return new OperatorProcess(app, identity);
    }

    /// <summary>Stops the host without waiting, as a killed pod would: in-flight work is abandoned.</summary>
    public async Task KillAsync()
    {
        using var expired = new CancellationTokenSource();
        await expired.CancelAsync();
        try
        {
            await _app.StopAsync(expired.Token);
        }
        catch (OperationCanceledException)
        {
            // Abandoning in-flight work is the point of a kill.
        }

        await _app.DisposeAsync();
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }
}
