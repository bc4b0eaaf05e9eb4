using System.Net;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Platform.Testing.Gcs;

/// <summary>
/// A GCS JSON API server on 127.0.0.1 for tests: real Kestrel, speaking the wire protocol that
/// Google.Cloud.Storage.V1 uses when its <c>BaseUri</c> points here. Object content is kept in a temp
/// folder that is deleted on dispose.
/// </summary>
public sealed class GcsTestServer : IAsyncDisposable
{
    private readonly WebApplication _app;

    private GcsTestServer(WebApplication app, GcsObjectStore store, GcsRequestLog requests, Uri endpoint)
    {
        _app = app;
        Store = store;
        Requests = requests;
        Endpoint = endpoint;
    }

    /// <summary>Server root, for example <c>http://127.0.0.1:40123/</c>.</summary>
    public Uri Endpoint { get; }

    /// <summary>Value for <c>StorageClientBuilder.BaseUri</c>: the JSON API root on this server.</summary>
    public string BaseUri => new Uri(Endpoint, "storage/v1/").AbsoluteUri;

    /// <summary>Buckets and objects, for tests that check what the server holds.</summary>
    public GcsObjectStore Store { get; }

    /// <summary>Requests received, for tests that check what the client sent.</summary>
    public GcsRequestLog Requests { get; }

    /// <summary>
    /// Starts a server on a free loopback port with objects under <paramref name="storageFolder"/>
    /// (a new temp folder when null) and the given buckets.
    /// </summary>
    public static async Task<GcsTestServer> StartAsync(
        IEnumerable<string>? buckets = null, string? storageFolder = null, CancellationToken cancellationToken = default)
    {
        var folder = storageFolder ?? Path.Combine(Path.GetTempPath(), $"gcs-test-{Guid.NewGuid():N}");
        var store = new GcsObjectStore(folder);
        foreach (var bucket in buckets ?? [])
        {
            store.CreateBucket(bucket);
        }

        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseKestrel(kestrel =>
        {
            kestrel.Listen(IPAddress.Loopback, 0);

            // Uploads of any size are accepted, as on the real service.
            kestrel.Limits.MaxRequestBodySize = null;
        });

        // The Google client gzips JSON request bodies (Content-Encoding: gzip), as the real service allows.
        builder.Services.AddRequestDecompression();

        var app = builder.Build();
        app.UseRequestDecompression();
        var requests = new GcsRequestLog();
        var router = new GcsRequestRouter(store, requests);
        app.Run(router.HandleAsync);
        await app.StartAsync(cancellationToken);

        var address = app.Services.GetRequiredService<IServer>().Features.GetRequiredFeature<IServerAddressesFeature>().Addresses.First();
        return new GcsTestServer(app, store, requests, new Uri(address.TrimEnd('/') + "/"));
    }

    /// <summary>Returns the names of the objects in <paramref name="bucket"/>, in name order.</summary>
    public IReadOnlyList<string> ObjectNames(string bucket) => [.. Store.List(bucket).Select(o => o.Name)];

    /// <inheritdoc />
    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
        Store.Dispose();
    }
}
