using System.Net;
using System.Text;
using System.Text.Json;
using Platform.Artifacts.Local;
using Platform.Artifacts.Tests.Endpoints;
using Platform.Artifacts.Tests.Support;

namespace Platform.Artifacts.Tests.Confinement;

/// <summary>
/// Attack paths against each store and through the endpoints: none may read, write or delete anything
/// outside the tenant prefix. Each test checks the backing folder or bucket afterwards.
/// </summary>
public abstract class ConfinementTests : IAsyncLifetime
{
    private const string Route = "/api/2.0/mlflow-artifacts/artifacts/";

    private StoreUnderTest? _subject;
    private ArtifactServer? _server;

    protected abstract string Kind { get; }

    /// <summary>Paths as sent on the wire after the artifacts route, each aiming at the canary of another tenant.</summary>
    public static TheoryData<string> WirePaths => new()
    {
        "../../tenants/bob/secret.txt",
        "1/../../../tenants/bob/secret.txt",
        "%2e%2e/%2e%2e/tenants/bob/secret.txt",
        "..%2F..%2Ftenants%2Fbob%2Fsecret.txt",
        "..%2f..%2ftenants%2fbob%2fsecret.txt",
        "..%252F..%252Ftenants%252Fbob%252Fsecret.txt",
        "..%25252F..%25252Ftenants%25252Fbob",
        "..%5C..%5Ctenants%5Cbob%5Csecret.txt",
        "..\\..\\tenants\\bob\\secret.txt",
        "%2Ftenants%2Fbob%2Fsecret.txt",
        "/tenants/bob/secret.txt",
        "//tenants/bob/secret.txt",
        "1/./../../../../tenants/bob/secret.txt",
        "..%00/tenants/bob/secret.txt",
        "..%u002F..%u002Ftenants",
        "1/%2E%2E%2F%2E%2E%2Ftenants/bob/secret.txt",
        ".%2E/.%2E/tenants/bob/secret.txt",
        "C:%5Ctenants%5Cbob",
    };

    /// <summary>Values of the list endpoint's <c>path</c> query parameter, URL-encoded as sent.</summary>
    public static TheoryData<string> ListQueries => new()
    {
        "..",
        "..%2F..",
        "..%2F..%2Ftenants%2Fbob",
        "%2Ftenants%2Fbob",
        "%2F",
        "1%2F..%2F..%2F..%2Ftenants",
        "..%252F..%252Ftenants",
        "..%5C..%5Ctenants",
        "%2E%2E%2Ftenants",
        "a%2F%2Fb",
        "a%00b",
    };

    public async Task InitializeAsync()
    {
        _subject = await StoreUnderTest.CreateAsync(Kind);
        _server = await ArtifactServer.StartAsync(_subject);
    }

    public async Task DisposeAsync()
    {
        await _server!.DisposeAsync();
        await _subject!.DisposeAsync();
    }

    [Theory]
    [MemberData(nameof(WirePaths))]
    public async Task Put_AttackPath_WritesNothingOutsidePrefix(string wirePath)
    {
        using var request = _server!.RawRequest(HttpMethod.Put, Route + wirePath);
        request.Content = new ByteArrayContent("pwned"u8.ToArray());

        using var response = await _server.Client.SendAsync(request);

        await AssertRejectedAsync(response);
        await AssertUntouchedAsync();
    }

    [Theory]
    [MemberData(nameof(WirePaths))]
    public async Task Get_AttackPath_ReadsNothingOutsidePrefix(string wirePath)
    {
        using var request = _server!.RawRequest(HttpMethod.Get, Route + wirePath);

        using var response = await _server.Client.SendAsync(request);

        await AssertRejectedAsync(response);
        await AssertUntouchedAsync();
    }

    [Theory]
    [MemberData(nameof(WirePaths))]
    public async Task Delete_AttackPath_DeletesNothingOutsidePrefix(string wirePath)
    {
        using var request = _server!.RawRequest(HttpMethod.Delete, Route + wirePath);

        using var response = await _server.Client.SendAsync(request);

        await AssertRejectedAsync(response);
        await AssertUntouchedAsync();
    }

    [Theory]
    [MemberData(nameof(ListQueries))]
    public async Task List_AttackPath_Returns400(string encodedPath)
    {
        using var request = _server!.RawRequest(HttpMethod.Get, "/api/2.0/mlflow-artifacts/artifacts?path=" + encodedPath);

        using var response = await _server.Client.SendAsync(request);

        await ArtifactEndpointTests.AssertMlflowErrorAsync(response, HttpStatusCode.BadRequest, "INVALID_PARAMETER_VALUE", "Invalid value");
        await AssertUntouchedAsync();
    }

    [Fact]
    public async Task Store_SiblingPrefixes_StayInvisible()
    {
        // "tenants/alice-evil" and "tenants/alice.txt" share the string prefix "tenants/alice" but not the folder.
        await WriteOutsideAsync("tenants/alice-evil/loot.txt");
        await WriteOutsideAsync("tenants/alice.txt");
        await _subject!.Store.WriteAsync(ArtifactPath.ParseFile("mine.txt"), new MemoryStream([1]), null, default);

        var entries = new List<ArtifactFileInfo>();
        await foreach (var entry in _subject.Store.ListAsync(ArtifactPath.Root, default))
        {
            entries.Add(entry);
        }

        Assert.Equal([new ArtifactFileInfo("mine.txt", false, 1)], entries);
        Assert.True(await _subject.Store.DeleteAsync(ArtifactPath.Root, default));
        Assert.Contains("tenants/alice-evil/loot.txt", _subject.AllKeys());
        Assert.Contains("tenants/alice.txt", _subject.AllKeys());
        Assert.DoesNotContain(StoreUnderTest.TenantPrefix + "/mine.txt", _subject.AllKeys());
    }

    private async Task AssertRejectedAsync(HttpResponseMessage response)
    {
        var body = await response.Content.ReadAsByteArrayAsync();
        Assert.False(response.IsSuccessStatusCode, $"Status {(int)response.StatusCode} for an attack path: {Encoding.UTF8.GetString(body)}");
        Assert.True(
            response.StatusCode is HttpStatusCode.BadRequest or HttpStatusCode.NotFound or HttpStatusCode.MethodNotAllowed,
            $"Unexpected status {(int)response.StatusCode}");
        Assert.DoesNotContain("bob's secret", Encoding.UTF8.GetString(body), StringComparison.Ordinal);

        // A 400 from the artifact handlers carries MLflow's error body; Kestrel's own 400s and unmatched routes have none.
        if (response.StatusCode == HttpStatusCode.BadRequest && body.Length > 0)
        {
            using var json = JsonDocument.Parse(body);
            Assert.Equal("INVALID_PARAMETER_VALUE", json.RootElement.GetProperty("error_code").GetString());
        }
    }

    private async Task AssertUntouchedAsync()
    {
        Assert.Equal([StoreUnderTest.CanaryKey], _subject!.AllKeys());
        Assert.Equal(StoreUnderTest.CanaryContent, await _subject.ReadCanaryAsync());
    }

    private async Task WriteOutsideAsync(string key)
    {
        if (_subject!.Server is { } server)
        {
            var client = new Google.Cloud.Storage.V1.StorageClientBuilder { BaseUri = server.BaseUri, UnauthenticatedAccess = true }.Build();
            await client.UploadObjectAsync(StoreUnderTest.Bucket, key, "text/plain", new MemoryStream("x"u8.ToArray()));
            return;
        }

        var root = ((LocalArtifactStore)_subject.Store).RootPath;
        var top = Path.GetFullPath(Path.Combine(root, "..", ".."));
        var path = Path.Combine(top, key);
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        await File.WriteAllTextAsync(path, "x");
    }
}

public sealed class LocalConfinementTests : ConfinementTests
{
    protected override string Kind => "local";

    [Fact]
    public async Task LocalStore_SymbolicLink_Rejected()
    {
        await using var subject = await StoreUnderTest.CreateAsync("local");
        var store = (LocalArtifactStore)subject.Store;
        var outside = Path.GetFullPath(Path.Combine(store.RootPath, "..", "bob"));
        Directory.CreateSymbolicLink(Path.Combine(store.RootPath, "link"), outside);

        var read = await Assert.ThrowsAsync<ArtifactException>(() => store.OpenReadAsync(ArtifactPath.ParseFile("link/secret.txt"), null, default));
        var write = await Assert.ThrowsAsync<ArtifactException>(
            () => store.WriteAsync(ArtifactPath.ParseFile("link/new.txt"), new MemoryStream([1]), null, default));

        Assert.Contains("symbolic link", read.Message, StringComparison.Ordinal);
        Assert.Contains("symbolic link", write.Message, StringComparison.Ordinal);
        Assert.False(File.Exists(Path.Combine(outside, "new.txt")));
    }

    [Fact]
    public async Task LocalStore_StagingFolderName_IsReserved()
    {
        await using var subject = await StoreUnderTest.CreateAsync("local");

        var error = await Assert.ThrowsAsync<ArtifactException>(() => subject.Store.OpenReadAsync(
            ArtifactPath.ParseFile(LocalArtifactStore.StagingFolderName + "/x.partial"), null, default));

        Assert.Contains("reserved", error.Message, StringComparison.Ordinal);
    }
}

public sealed class GcsConfinementTests : ConfinementTests
{
    protected override string Kind => "gcs";
}
