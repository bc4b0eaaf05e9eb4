using System.Net;
using Platform.Tracking.Hosting;
using Platform.Tracking.Registry.Hosting;
using Platform.Tracking.Tests.Infrastructure;

namespace Platform.Tracking.Tests.Registry;

public sealed class MlflowAddOnsFeatureTests
{
    [Fact]
    public async Task AddedTwice_ServesRoutesOnce()
    {
        // Hooks that add the feature on top of a server that already adds it must not map any route twice.
        var hooks = MlflowAddOnsFeature.CreateHooks(MlflowAddOnsFeature.CreateHooks());
        await using var app = TrackingServerApp.Build(
            new TrackingServerOptions { Host = "127.0.0.1", Port = 0, BackendStoreUri = "sqlite:///:memory:" },
            hooks);
        await app.StartAsync();
        var api = new TrackingApi(new HttpClient { BaseAddress = TrackingServerApp.GetBaseAddress(app) });

        var created = await api.PostAsync("registered-models/create", """{"name": "twice"}""");
        var missing = await api.GetAsync("/api/2.0/mlflow/registered-models/get?name=absent");

        created.EnsureOk();
        missing.AssertError(HttpStatusCode.NotFound, "RESOURCE_DOES_NOT_EXIST");
        await app.StopAsync();
    }
}
