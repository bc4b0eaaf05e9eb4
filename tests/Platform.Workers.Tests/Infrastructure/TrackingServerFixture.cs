using Microsoft.AspNetCore.Builder;
using Platform.Artifacts;
using Platform.Artifacts.Endpoints;
using Platform.Tracking.Client;
using Platform.Tracking.Hosting;
using Platform.Tracking.Registry.Hosting;

namespace Platform.Workers.Tests.Infrastructure;

/// <summary>A real tracking server with its model registry and artifact proxy on 127.0.0.1, on a temp SQLite file.</summary>
public sealed class TrackingServerFixture : IAsyncLifetime
{
    private WebApplication? _server;

    public string Folder { get; } = Directory.CreateTempSubdirectory("workers-tests-").FullName;

    public Uri BaseAddress { get; private set; } = null!;

    public TrackingClient Client { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        var artifacts = Path.Combine(Folder, "artifacts");
        _server = TrackingServerApp.Build(
            new TrackingServerOptions
            {
                Host = "127.0.0.1",
                Port = 0,
                BackendStoreUri = "sqlite:///" + Path.Combine(Folder, "mlflow.db"),
                ArtifactsDestination = artifacts,
            },
            MlflowAddOnsFeature.CreateHooks(new TrackingServerHooks
            {
                ConfigureServices = builder => builder.Services.AddArtifactStore(artifacts),
                MapEndpoints = app => app.MapMlflowArtifacts(),
            }));
        await _server.StartAsync();
        BaseAddress = TrackingServerApp.GetBaseAddress(_server);
        Client = new TrackingClient(new TrackingClientOptions
        {
            TrackingUri = BaseAddress,
            ModelCacheDirectory = Path.Combine(Folder, "model-cache"),
        });
    }

    public async Task DisposeAsync()
    {
        Client?.Dispose();
        if (_server is not null)
        {
            await _server.StopAsync();
            await _server.DisposeAsync();
        }

        Directory.Delete(Folder, recursive: true);
    }
}
