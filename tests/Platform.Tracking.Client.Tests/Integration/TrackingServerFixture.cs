using Microsoft.AspNetCore.Builder;
using Platform.Artifacts;
using Platform.Tracking.Hosting;

namespace Platform.Tracking.Client.Tests;

/// <summary>The real tracking server with a SQLite store and the artifact proxy on a local folder, started in-process on 127.0.0.1.</summary>
public sealed class TrackingServerFixture : IAsyncLifetime
{
    private readonly string _folder = Directory.CreateTempSubdirectory("labplatform-client-it-").FullName;
    private WebApplication? _app;

    public Uri TrackingUri { get; private set; } = null!;

    public string ArtifactsFolder => Path.Combine(_folder, "artifacts");

    public async Task InitializeAsync()
    {
        Directory.CreateDirectory(ArtifactsFolder);
        var options = new TrackingServerOptions
        {
            Port = 0,
            BackendStoreUri = "sqlite:///" + Path.Combine(_folder, "mlflow.db"),
            ArtifactsDestination = ArtifactsFolder,
        };
        var hooks = new TrackingServerHooks
        {
            ConfigureServices = builder => builder.Services.AddArtifactStore(ArtifactsFolder),
            MapEndpoints = app => app.MapMlflowArtifacts(),
        };
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
