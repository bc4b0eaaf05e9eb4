using Microsoft.AspNetCore.Builder;
using Npgsql;
using Platform.Artifacts;
using Platform.Testing;
using Platform.Tracking.Hosting;
using Platform.Tracking.Registry.Hosting;

namespace Platform.Tracking.Client.Tests;

/// <summary>The real tracking server with its model registry add-ons and the artifact proxy on a local folder, started in-process on 127.0.0.1.</summary>
public abstract class TrackingServerFixture : IAsyncLifetime
{
    private readonly string _folder = Directory.CreateTempSubdirectory("labplatform-client-it-").FullName;
    private WebApplication? _app;

    public Uri TrackingUri { get; private set; } = null!;

    public string ArtifactsFolder => Path.Combine(_folder, "artifacts");

    protected string Folder => _folder;

    /// <summary>Returns the <c>--backend-store-uri</c> of the store under test.</summary>
    protected abstract Task<string> CreateBackendStoreUriAsync();

    public async Task InitializeAsync()
    {
        Directory.CreateDirectory(ArtifactsFolder);
        var options = new TrackingServerOptions
        {
            Port = 0,
            BackendStoreUri = await CreateBackendStoreUriAsync(),
            ArtifactsDestination = ArtifactsFolder,
        };
        var artifactHooks = new TrackingServerHooks
        {
            ConfigureServices = builder => builder.Services.AddArtifactStore(ArtifactsFolder),
            MapEndpoints = app => app.MapMlflowArtifacts(),
        };
        var hooks = MlflowAddOnsFeature.CreateHooks(artifactHooks);
        _app = TrackingServerApp.Build(options, hooks);
        await _app.StartAsync();
        TrackingUri = TrackingServerApp.GetBaseAddress(_app);
    }

    public TrackingClient CreateClient(string modelCache) =>
        new(TestClients.Options(TrackingUri, o =>
        {
            o.Token = null;
            o.ModelCacheDirectory = modelCache;
        }));

    public async Task DisposeAsync()
    {
        if (_app is not null)
        {
            await _app.StopAsync();
            await _app.DisposeAsync();
        }

        Directory.Delete(_folder, recursive: true);
    }
}

/// <summary>The tracking server on a SQLite file.</summary>
public sealed class SqliteServerFixture : TrackingServerFixture
{
    protected override Task<string> CreateBackendStoreUriAsync() =>
        Task.FromResult("sqlite:///" + Path.Combine(Folder, "mlflow.db"));
}

/// <summary>The tracking server on a fresh database of the test PostgreSQL server.</summary>
public sealed class PostgresServerFixture : TrackingServerFixture
{
    protected override async Task<string> CreateBackendStoreUriAsync()
    {
        var connectionString = await TestPostgres.CreateDatabaseAsync("client_it");
        var builder = new NpgsqlConnectionStringBuilder(connectionString);
        return $"postgresql://{Uri.EscapeDataString(builder.Username!)}:{Uri.EscapeDataString(builder.Password ?? string.Empty)}" +
               $"@{builder.Host}:{builder.Port}/{builder.Database}?schema=client_it";
    }
}
