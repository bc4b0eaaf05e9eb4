using Google.Cloud.Storage.V1;
using Platform.Artifacts.Gcs;
using Platform.Artifacts.Local;
using Platform.Testing.Gcs;

namespace Platform.Artifacts.Tests.Support;

/// <summary>
/// A store rooted at the tenant prefix <c>tenants/alice</c>, plus access to everything outside that prefix
/// so tests can check that nothing leaked. A canary file of another tenant exists from the start.
/// </summary>
internal sealed class StoreUnderTest : IAsyncDisposable
{
    public const string Bucket = "lab-artifacts";
    public const string TenantPrefix = "tenants/alice";
    public const string CanaryKey = "tenants/bob/secret.txt";
    public static readonly byte[] CanaryContent = "bob's secret"u8.ToArray();

    private readonly TempFolder? _folder;
    private readonly GcsTestServer? _server;

    private StoreUnderTest(IArtifactStore store, string destination, TempFolder? folder, GcsTestServer? server)
    {
        Store = store;
        Destination = destination;
        _folder = folder;
        _server = server;
    }

    public IArtifactStore Store { get; }

    /// <summary>Destination string for <c>AddArtifactStore</c>.</summary>
    public string Destination { get; }

    /// <summary>GCS endpoint for <see cref="ArtifactStoreOptions.GcsBaseUri"/>, or null for a local store.</summary>
    public string? GcsBaseUri => _server?.BaseUri ?? ExplicitGcsBaseUri;

    private string? ExplicitGcsBaseUri { get; init; }

    public GcsTestServer? Server => _server;

    /// <summary>Wraps a destination whose backing storage the test manages itself (no canary, no cleanup).</summary>
    public static StoreUnderTest ForDestination(string destination, string? gcsBaseUri) =>
        new(ArtifactStoreFactory.Create(destination, new ArtifactStoreOptions { GcsBaseUri = gcsBaseUri }), destination, null, null)
        {
            ExplicitGcsBaseUri = gcsBaseUri,
        };

    public static async Task<StoreUnderTest> CreateAsync(string kind)
    {
        if (kind == "local")
        {
            var folder = new TempFolder();
            var canary = Path.Combine(folder.Path, CanaryKey);
            Directory.CreateDirectory(Path.GetDirectoryName(canary)!);
            await File.WriteAllBytesAsync(canary, CanaryContent);
            var root = Path.Combine(folder.Path, TenantPrefix);
            return new StoreUnderTest(new LocalArtifactStore(root), root, folder, null);
        }

        var server = await GcsTestServer.StartAsync([Bucket]);
        var client = new StorageClientBuilder { BaseUri = server.BaseUri, UnauthenticatedAccess = true }.Build();
        await client.UploadObjectAsync(Bucket, CanaryKey, "text/plain", new MemoryStream(CanaryContent));
        var destination = $"gs://{Bucket}/{TenantPrefix}";

        // A small chunk size makes ordinary test files span several resumable-upload requests.
        var store = new GcsArtifactStore(client, GcsLocation.Parse(destination), new GcsArtifactStoreOptions { UploadChunkSize = 256 * 1024 });
        server.Requests.Clear();
        return new StoreUnderTest(store, destination, null, server);
    }

    /// <summary>Returns every key in the backing folder or bucket, relative to its top, sorted.</summary>
    public IReadOnlyList<string> AllKeys() =>
        _folder is not null
            ? [.. _folder.Files().Where(key => !key.Contains(LocalArtifactStore.StagingFolderName, StringComparison.Ordinal))]
            : _server!.ObjectNames(Bucket);

    /// <summary>Returns the canary's current content, or null when it was deleted.</summary>
    public async Task<byte[]?> ReadCanaryAsync()
    {
        if (_folder is not null)
        {
            var path = Path.Combine(_folder.Path, CanaryKey);
            return File.Exists(path) ? await File.ReadAllBytesAsync(path) : null;
        }

        var stored = _server!.Store.Find(Bucket, CanaryKey);
        return stored is null ? null : await File.ReadAllBytesAsync(stored.DataPath);
    }

    public async ValueTask DisposeAsync()
    {
        _folder?.Dispose();
        if (_server is not null)
        {
            await _server.DisposeAsync();
        }
    }
}
