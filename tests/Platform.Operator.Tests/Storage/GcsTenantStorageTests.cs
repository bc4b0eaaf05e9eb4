using Google;
using Google.Cloud.Storage.V1;
using Platform.Operator.Storage;
using Platform.Operator.Tests.Support;
using Platform.Testing.Gcs;

namespace Platform.Operator.Tests.Storage;

/// <summary><see cref="GcsTenantStorage"/> through the real Google client against the GCS JSON API test server.</summary>
public sealed class GcsTenantStorageTests
{
    [Fact]
    public async Task DeletePrefix_RemovesOnlyTenantObjects()
    {
        await using var server = await GcsTestServer.StartAsync(["lab-artifacts"]);
        var client = CreateClient(server);
        foreach (var name in new[] { "tenants/alice/1/run/artifacts/model.bin", "tenants/alice/meta.json", "tenants/alice-2/keep.txt" })
        {
            await client.UploadObjectAsync("lab-artifacts", name, "application/octet-stream", new MemoryStream([1, 2, 3]));
        }

        var storage = new GcsTenantStorage(client, TestOptions.Create());
        var deleted = await storage.DeletePrefixAsync("tenants/alice/", CancellationToken.None);

        Assert.Equal(2, deleted);
        Assert.Equal(["tenants/alice-2/keep.txt"], server.ObjectNames("lab-artifacts"));
        Assert.Equal("gs://lab-artifacts/tenants/alice/", storage.DestinationFor("tenants/alice/"));
    }

    [Fact]
    public async Task EnsurePrefix_MissingBucket_Throws()
    {
        await using var server = await GcsTestServer.StartAsync(["other-bucket"]);
        var storage = new GcsTenantStorage(CreateClient(server), TestOptions.Create());

        var error = await Assert.ThrowsAsync<GoogleApiException>(() => storage.EnsurePrefixAsync("tenants/alice/", CancellationToken.None));

        Assert.Equal(System.Net.HttpStatusCode.NotFound, error.HttpStatusCode);
    }

    [Fact]
    public async Task EnsurePrefix_ExistingBucket_Succeeds()
    {
        await using var server = await GcsTestServer.StartAsync(["lab-artifacts"]);
        var storage = new GcsTenantStorage(CreateClient(server), TestOptions.Create());

        await storage.EnsurePrefixAsync("tenants/alice/", CancellationToken.None);

        Assert.Empty(server.ObjectNames("lab-artifacts"));
    }

    private static StorageClient CreateClient(GcsTestServer server) =>
        new StorageClientBuilder { BaseUri = server.BaseUri, UnauthenticatedAccess = true }.Build();
}
