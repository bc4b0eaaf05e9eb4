using System.Collections.Concurrent;
using Microsoft.AspNetCore.Http;

namespace Platform.Tracking.Client.Tests;

public sealed class ModelResolverTests : IDisposable
{
    private const string ProxyRoot = "/api/2.0/mlflow-artifacts/artifacts";
    private readonly string _cache = Directory.CreateTempSubdirectory("labplatform-models-").FullName;

    public void Dispose() => Directory.Delete(_cache, recursive: true);

    [Fact]
    public async Task Alias_ResolvesAgainAfterMove()
    {
        await using var server = await RecordingServer.StartAsync("/u/alice");
        var aliases = new ConcurrentDictionary<string, string> { ["champion"] = "1" };
        MapRegistry(server, aliases);
        using var client = TestClients.Create(server, o => o.ModelCacheDirectory = _cache);

        var first = await client.Models.DownloadAsync("models:/ctr@champion");
        aliases["champion"] = "2";
        var second = await client.Models.DownloadAsync("models:/ctr@champion");

        Assert.Equal("1", first.Version.Version);
        Assert.Equal("2", second.Version.Version);
        Assert.Equal("weights-1", await File.ReadAllTextAsync(Path.Combine(first.LocalPath, "model.bin")));
        Assert.Equal("weights-2", await File.ReadAllTextAsync(Path.Combine(second.LocalPath, "model.bin")));
        Assert.Equal("{\"v\":2}", await File.ReadAllTextAsync(Path.Combine(second.LocalPath, "meta", "info.json")));
        Assert.Equal(Path.Combine(_cache, "ctr"), Path.GetDirectoryName(second.LocalPath));
        Assert.StartsWith("2-", Path.GetFileName(second.LocalPath), StringComparison.Ordinal);
        Assert.Equal(2, server.RequestsTo("/api/2.0/mlflow/registered-models/alias").Count);
    }

    [Fact]
    public async Task SameVersionOnTwoServers_IsCachedSeparately()
    {
        await using var alice = await RecordingServer.StartAsync("/u/alice");
        await using var bob = await RecordingServer.StartAsync("/u/bob");
        MapRegistry(alice, new ConcurrentDictionary<string, string>());
        MapRegistry(bob, new ConcurrentDictionary<string, string>());
        using var aliceClient = TestClients.Create(alice, o => o.ModelCacheDirectory = _cache);
        using var bobClient = TestClients.Create(bob, o => o.ModelCacheDirectory = _cache);

        var fromAlice = await aliceClient.Models.DownloadAsync("models:/ctr/1");
        var fromBob = await bobClient.Models.DownloadAsync("models:/ctr/1");

        Assert.NotEqual(fromAlice.LocalPath, fromBob.LocalPath);
        Assert.Contains(bob.Requests, r => r.Path.StartsWith("/u/bob" + ProxyRoot, StringComparison.Ordinal));
    }

    [Fact]
    public async Task CachedVersion_IsNotDownloadedAgain()
    {
        await using var server = await RecordingServer.StartAsync();
        MapRegistry(server, new ConcurrentDictionary<string, string> { ["champion"] = "1" });
        using var client = TestClients.Create(server, o => o.ModelCacheDirectory = _cache);

        await client.Models.DownloadAsync("models:/ctr/1");
        var downloadsBefore = CountArtifactRequests(server);
        var again = await client.Models.DownloadAsync("models:/ctr@champion");

        Assert.Equal("1", again.Version.Version);
        Assert.Equal(downloadsBefore, CountArtifactRequests(server));
        Assert.Empty(Directory.GetDirectories(Path.Combine(_cache, "ctr"), "*.partial"));
    }

    [Fact]
    public async Task RunsSource_ResolvesThroughRunArtifactRoot()
    {
        await using var server = await RecordingServer.StartAsync();
        MapRegistry(server, new ConcurrentDictionary<string, string>(), useRunsSource: true);
        using var client = TestClients.Create(server, o => o.ModelCacheDirectory = _cache);

        var model = await client.Models.DownloadAsync("models:/ctr/2");

        Assert.Equal("weights-2", await File.ReadAllTextAsync(Path.Combine(model.LocalPath, "model.bin")));
        Assert.Equal([MlflowStubs.RunId], Assert.Single(server.RequestsTo("/api/2.0/mlflow/runs/get")).Query("run_id"));
    }

    [Fact]
    public async Task Latest_PicksHighestVersion()
    {
        await using var server = await RecordingServer.StartAsync();
        MapRegistry(server, new ConcurrentDictionary<string, string>());
        server.OnJson("POST", "/api/2.0/mlflow/registered-models/get-latest-versions",
            """{"model_versions":[{"name":"ctr","version":"2","current_stage":"Production"},{"name":"ctr","version":"1","current_stage":"None"}]}""");
        using var client = TestClients.Create(server, o => o.ModelCacheDirectory = _cache);

        var version = await client.Models.ResolveVersionAsync("models:/ctr/latest");

        Assert.Equal("2", version.Version);
        Assert.Equal("""{"name":"ctr"}""", Assert.Single(server.RequestsTo("/api/2.0/mlflow/registered-models/get-latest-versions")).Body);
    }

    [Fact]
    public async Task MissingAlias_RaisesResourceDoesNotExist()
    {
        await using var server = await RecordingServer.StartAsync();
        MapRegistry(server, new ConcurrentDictionary<string, string>());
        using var client = TestClients.Create(server, o => o.ModelCacheDirectory = _cache);

        var error = await Assert.ThrowsAsync<MlflowException>(() => client.Models.DownloadAsync("models:/ctr@nope"));

        Assert.True(error.IsResourceDoesNotExist);
        Assert.False(Directory.Exists(Path.Combine(_cache, "ctr")));
    }

    [Fact]
    public async Task EmptySource_RaisesClearError()
    {
        await using var server = await RecordingServer.StartAsync();
        MapRegistry(server, new ConcurrentDictionary<string, string>());
        using var client = TestClients.Create(server, o => o.ModelCacheDirectory = _cache);

        var error = await Assert.ThrowsAsync<InvalidOperationException>(() => client.Models.DownloadAsync("models:/ctr/3"));

        Assert.Contains("version 3 has no files", error.Message, StringComparison.Ordinal);
        Assert.False(Directory.Exists(Path.Combine(_cache, "ctr", "3")));
    }

    private static int CountArtifactRequests(RecordingServer server) =>
        server.Requests.Count(r => r.Path.Contains("mlflow-artifacts", StringComparison.Ordinal));

    /// <summary>
    /// Serves model "ctr" with versions 1 and 2 (each with model.bin and meta/info.json) and an empty version 3.
    /// <paramref name="aliases"/> is read on every request, so a test can move an alias.
    /// </summary>
    private static void MapRegistry(RecordingServer server, ConcurrentDictionary<string, string> aliases, bool useRunsSource = false)
    {
        static string VersionJson(string version) =>
            $$$"""{"model_version":{"name":"ctr","version":"{{{version}}}","status":"READY","source":"mlflow-artifacts:/0/run{{{version}}}/artifacts/model"}}""";

        server.On("GET", "/api/2.0/mlflow/registered-models/alias", (context, request) =>
            aliases.TryGetValue(request.Query("alias").Single(), out var version)
                ? RecordingServer.WriteJsonAsync(context, VersionJson(version))
                : RecordingServer.WriteJsonAsync(context, """{"error_code":"RESOURCE_DOES_NOT_EXIST","message":"Registered model alias not found."}""", 404));
        server.On("GET", "/api/2.0/mlflow/model-versions/get", (context, request) =>
            RecordingServer.WriteJsonAsync(context, VersionJson(request.Query("version").Single())));
        server.On("GET", "/api/2.0/mlflow/model-versions/get-download-uri", (context, request) =>
        {
            var version = request.Query("version").Single();
            var uri = useRunsSource ? $"runs:/{MlflowStubs.RunId}/model{version}" : $"mlflow-artifacts:/0/run{version}/artifacts/model";
            return RecordingServer.WriteJsonAsync(context, $$"""{"artifact_uri":"{{uri}}"}""");
        });
        server.OnJson("GET", "/api/2.0/mlflow/runs/get", $$"""{"run":{{MlflowStubs.RunJson()}}}""");
        server.On("GET", ProxyRoot, (context, request) =>
        {
            var path = request.Query("path").Single();
            var listing = path switch
            {
                "0/run1/artifacts/model" or "0/run2/artifacts/model" or $"0/{MlflowStubs.RunId}/artifacts/model2" =>
                    """{"files":[{"path":"model.bin","is_dir":false,"file_size":9},{"path":"meta","is_dir":true}]}""",
                _ when path.EndsWith("/meta", StringComparison.Ordinal) => """{"files":[{"path":"info.json","is_dir":false,"file_size":7}]}""",
                _ => "{}",
            };
            return RecordingServer.WriteJsonAsync(context, listing);
        });
        foreach (var (root, version) in new[] { ("0/run1/artifacts/model", "1"), ("0/run2/artifacts/model", "2"), ($"0/{MlflowStubs.RunId}/artifacts/model2", "2") })
        {
            server.On("GET", $"{ProxyRoot}/{root}/model.bin", (context, _) => context.Response.WriteAsync($"weights-{version}"));
            server.On("GET", $"{ProxyRoot}/{root}/meta/info.json", (context, _) => context.Response.WriteAsync($$$"""{"v":{{{version}}}}"""));
        }
    }
}
