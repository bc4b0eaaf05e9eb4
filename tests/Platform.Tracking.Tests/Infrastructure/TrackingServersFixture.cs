using Microsoft.AspNetCore.Builder;
using Platform.Testing;
using Platform.Tracking.Hosting;

namespace Platform.Tracking.Tests.Infrastructure;

/// <summary>
/// Starts two real tracking servers on 127.0.0.1 with port 0, one on a temp SQLite file and one on a fresh
/// PostgreSQL database with a tenant schema, and shares them across the conformance tests.
/// </summary>
public sealed class TrackingServersFixture : IAsyncLifetime
{
    public const string GatewaySecret = "test-gateway-secret";
    public const string PostgresSchema = "tenant_conformance";

    private readonly Dictionary<string, WebApplication> _apps = [];
    private readonly Dictionary<string, TrackingApi> _apis = [];
    private readonly string _folder = Path.Combine(Path.GetTempPath(), "tracking-tests-" + Guid.NewGuid().ToString("N"));

    public string PostgresConnectionString { get; private set; } = string.Empty;

    public TrackingApi Api(string backend) => _apis[backend];

    public async Task InitializeAsync()
    {
        PostgresConnectionString = await TestPostgres.CreateDatabaseAsync("tracking_conformance");
        await StartAsync(Backends.Sqlite, "sqlite:///" + Path.Combine(_folder, "mlflow.db"));
        await StartAsync(Backends.Postgres, PostgresUris.FromConnectionString(PostgresConnectionString, PostgresSchema));
    }

    public async Task DisposeAsync()
    {
        foreach (var app in _apps.Values)
        {
            await app.StopAsync();
            await app.DisposeAsync();
        }

        if (Directory.Exists(_folder))
        {
            Directory.Delete(_folder, recursive: true);
        }
    }

    private async Task StartAsync(string backend, string storeUri)
    {
        var app = TrackingServerApp.Build(new TrackingServerOptions
        {
            Host = "127.0.0.1",
            Port = 0,
            BackendStoreUri = storeUri,
            GatewaySecret = GatewaySecret,
        });
        await app.StartAsync();
        _apps[backend] = app;
        _apis[backend] = new TrackingApi(new HttpClient { BaseAddress = TrackingServerApp.GetBaseAddress(app) });
    }
}
