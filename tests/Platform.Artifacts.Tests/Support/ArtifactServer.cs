using System.Net;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Platform.Artifacts.Tests.Support;

/// <summary>A real Kestrel host on 127.0.0.1 with the artifact endpoints mapped, as the tracking server hosts them.</summary>
internal sealed class ArtifactServer : IAsyncDisposable
{
    private readonly WebApplication _app;

    private ArtifactServer(WebApplication app, Uri address)
    {
        _app = app;
        Client = new HttpClient { BaseAddress = address };
    }

    public HttpClient Client { get; }

    public Uri Address => Client.BaseAddress!;

    public IServiceProvider Services => _app.Services;

    public static async Task<ArtifactServer> StartAsync(StoreUnderTest subject, Action<ArtifactStoreOptions>? configure = null)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseKestrel(kestrel => kestrel.Listen(IPAddress.Loopback, 0));
        builder.Services.AddArtifactStore(subject.Destination, options =>
        {
            options.GcsBaseUri = subject.GcsBaseUri;
            options.GcsUploadChunkSize = 256 * 1024;
            configure?.Invoke(options);
        });

        var app = builder.Build();
        app.MapMlflowArtifacts();
        await app.StartAsync();
        var address = app.Services.GetRequiredService<IServer>().Features.GetRequiredFeature<IServerAddressesFeature>().Addresses.First();
        return new ArtifactServer(app, new Uri(address.TrimEnd('/') + "/"));
    }

    /// <summary>Builds a request whose path is sent exactly as written, without '..' or '%2F' normalization.</summary>
    public HttpRequestMessage RawRequest(HttpMethod method, string pathAndQuery)
    {
        var uri = new Uri(Address.GetLeftPart(UriPartial.Authority) + pathAndQuery, new UriCreationOptions { DangerousDisablePathAndQueryCanonicalization = true });
        return new HttpRequestMessage(method, uri);
    }

    public async ValueTask DisposeAsync()
    {
        Client.Dispose();
        await _app.StopAsync();
        await _app.DisposeAsync();
    }
}
