using Microsoft.AspNetCore.Builder;
using Platform.Testing;
using Platform.Tracking.Hosting;
using Platform.Tracking.Registry.Hosting;
using Platform.Tracking.Tests.Infrastructure;

namespace Platform.Tracking.Tests.Registry;

/// <summary>
/// Starts two real tracking servers with the model registry plugged in through <see cref="TrackingServerHooks"/>:
/// one on a temp SQLite file and one on a fresh PostgreSQL database with a tenant schema.
/// </summary>
public sealed class RegistryServersFixture : IAsyncLifetime
{
    public const string GatewaySecret = "registry-gateway-secret";
    public const string PostgresSchema = "tenant_registry";

    private readonly Dictionary<string, WebApplication> _apps = [];
    private readonly Dictionary<string, TrackingApi> _apis = [];
    private readonly string _folder = Path.Combine(Path.GetTempPath(), "registry-tests-" + Guid.NewGuid().ToString("N"));

    public string PostgresConnectionString { get; private set; } = string.Empty;

    public string SqlitePath => Path.Combine(_folder, "mlflow.db");

    public TrackingApi Api(string backend) => _apis[backend];

    public async Task InitializeAsync()
    {
        PostgresConnectionString = await TestPostgres.CreateDatabaseAsync("registry_conformance");
        await StartAsync(Backends.Sqlite, "sqlite:///" + SqlitePath);
        await StartAsync(Backends.Postgres, PostgresUris.FromConnectionString(PostgresConnectionString, PostgresSchema));
    }

    public async Task DisposeAsync()
    {
        foreach (var app in _apps.Values)
        {
            await app.StopAsync();
            await app.DisposeAsync();
        }

        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        if (Directory.Exists(_folder))
        {
            Directory.Delete(_folder, recursive: true);
        }
    }

    private async Task StartAsync(string backend, string storeUri)
    {
        var app = TrackingServerApp.Build(
            new TrackingServerOptions
            {
                Host = "127.0.0.1",
                Port = 0,
                BackendStoreUri = storeUri,
                GatewaySecret = GatewaySecret,
            },
            MlflowAddOnsFeature.CreateHooks());
        await app.StartAsync();
        _apps[backend] = app;
        _apis[backend] = new TrackingApi(new HttpClient { BaseAddress = TrackingServerApp.GetBaseAddress(app) });
    }
}
