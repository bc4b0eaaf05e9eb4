using System.Net;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Platform.Artifacts.Local;
using Platform.Artifacts.Tests.Support;

namespace Platform.Artifacts.Tests.Endpoints;

public sealed class ArtifactRegistrationTests
{
    [Fact]
    public void MapMlflowArtifacts_WithoutStore_ThrowsWithFix()
    {
        var app = WebApplication.CreateSlimBuilder().Build();

        var error = Assert.Throws<InvalidOperationException>(() => app.MapMlflowArtifacts());

        Assert.Contains("AddArtifactStore", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task AddArtifactStore_BindsArtifactsSection()
    {
        using var folder = new TempFolder();
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.Configuration["Artifacts:MaxUploadBytes"] = "10";
        builder.WebHost.UseKestrel(kestrel => kestrel.Listen(IPAddress.Loopback, 0));
        builder.Services.AddArtifactStore(folder.Path);
        await using var app = builder.Build();
        app.MapMlflowArtifacts();
        await app.StartAsync();
        var address = app.Services.GetRequiredService<IServer>().Features.GetRequiredFeature<IServerAddressesFeature>().Addresses.First();
        using var http = new HttpClient { BaseAddress = new Uri(address) };

        using var small = await http.PutAsync("/api/2.0/mlflow-artifacts/artifacts/a/small.bin", new ByteArrayContent(new byte[10]));
        using var large = await http.PutAsync("/api/2.0/mlflow-artifacts/artifacts/a/large.bin", new ByteArrayContent(new byte[11]));

        Assert.IsType<LocalArtifactStore>(app.Services.GetRequiredService<IArtifactStore>());
        Assert.Equal(HttpStatusCode.OK, small.StatusCode);
        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, large.StatusCode);
        await app.StopAsync();
    }
}
