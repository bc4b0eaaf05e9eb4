using System.Net;
using Platform.Artifacts.Tests.Support;
using Platform.Testing.Gcs;

namespace Platform.Artifacts.Tests.Endpoints;

/// <summary>Store failures that are not the caller's fault become MLflow INTERNAL_ERROR responses.</summary>
public sealed class ArtifactEndpointFailureTests
{
    [Fact]
    public async Task Upload_BucketMissing_Returns500InternalError()
    {
        await using var gcs = await GcsTestServer.StartAsync();
        await using var subject = await StoreUnderTestWithoutBucketAsync(gcs);
        await using var server = await ArtifactServer.StartAsync(subject);

        using var response = await server.Client.PutAsync("/api/2.0/mlflow-artifacts/artifacts/1/r/artifacts/x.txt", new ByteArrayContent([1]));

        await ArtifactEndpointTests.AssertMlflowErrorAsync(response, HttpStatusCode.InternalServerError, "INTERNAL_ERROR", "server log");
    }

    [Fact]
    public async Task List_StorageUnreachable_Returns500InternalError()
    {
        var gcs = await GcsTestServer.StartAsync(["lab-artifacts"]);
        await using var subject = await StoreUnderTestWithoutBucketAsync(gcs);
        await using var server = await ArtifactServer.StartAsync(subject);
        await gcs.DisposeAsync();

        using var response = await server.Client.GetAsync("/api/2.0/mlflow-artifacts/artifacts?path=1");

        await ArtifactEndpointTests.AssertMlflowErrorAsync(response, HttpStatusCode.InternalServerError, "INTERNAL_ERROR", "server log");
    }

    private static Task<StoreUnderTest> StoreUnderTestWithoutBucketAsync(GcsTestServer gcs) =>
        Task.FromResult(StoreUnderTest.ForDestination($"gs://{StoreUnderTest.Bucket}/tenants/alice", gcs.BaseUri));
}
