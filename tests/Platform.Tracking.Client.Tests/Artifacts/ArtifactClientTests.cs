using System.Buffers;
using System.Collections.Concurrent;
using System.Text;
using Microsoft.AspNetCore.Http;
using Xunit.Abstractions;

namespace Platform.Tracking.Client.Tests;

public sealed class ArtifactClientTests(ITestOutputHelper output) : IDisposable
{
    private const string ProxyRoot = "/api/2.0/mlflow-artifacts/artifacts";
    private readonly string _folder = Directory.CreateTempSubdirectory("labplatform-artifacts-").FullName;

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    [Fact]
    public async Task UploadFile_PutsUnderRunArtifactPath()
    {
        await using var server = await RecordingServer.StartAsync("/u/alice");
        server.OnJson("PUT", $"{ProxyRoot}/0/{MlflowStubs.RunId}/artifacts/reports/summary v1.txt", "{}");
        using var client = TestClients.Create(server);
        var file = Path.Combine(_folder, "summary v1.txt");
        await File.WriteAllTextAsync(file, "auc=0.81");

        await client.Artifacts.UploadFileAsync(MlflowStubs.ArtifactUri, file, "reports");

        var request = Assert.Single(server.Requests);
        Assert.Equal("PUT", request.Method);
        Assert.Equal($"/u/alice{ProxyRoot}/0/{MlflowStubs.RunId}/artifacts/reports/summary v1.txt", request.Path);
        Assert.Equal("Bearer test-token", request.Header("Authorization"));
        Assert.Equal("8", request.Header("Content-Length"));
        Assert.Equal("auc=0.81", request.Body);
    }

    [Fact]
    public async Task UploadDirectory_KeepsRelativeLayout()
    {
        await using var server = await RecordingServer.StartAsync();
        var bodies = new ConcurrentDictionary<string, string>();
        var prefix = $"{ProxyRoot}/0/{MlflowStubs.RunId}/artifacts/model";
        foreach (var path in new[] { "model.bin", "meta/params.json", "meta/deep/notes.txt" })
        {
            server.On("PUT", $"{prefix}/{path}", (context, request) =>
            {
                bodies[path] = request.Body;
                return RecordingServer.WriteJsonAsync(context, "{}");
            });
        }

        Directory.CreateDirectory(Path.Combine(_folder, "meta", "deep"));
        await File.WriteAllTextAsync(Path.Combine(_folder, "model.bin"), "weights");
        await File.WriteAllTextAsync(Path.Combine(_folder, "meta", "params.json"), "{}");
        await File.WriteAllTextAsync(Path.Combine(_folder, "meta", "deep", "notes.txt"), "n");
        using var client = TestClients.Create(server);

        await client.Artifacts.UploadDirectoryAsync(MlflowStubs.ArtifactUri, _folder, "model");

        Assert.Equal(3, bodies.Count);
        Assert.Equal("weights", bodies["model.bin"]);
        Assert.Equal("n", bodies["meta/deep/notes.txt"]);
        Assert.All(server.Requests, r => Assert.Equal("PUT", r.Method));
    }

    [Fact]
    public async Task UploadStream_200MegabytesDoesNotBuffer()
    {
        const long size = 200L * 1024 * 1024;
        await using var server = await RecordingServer.StartAsync();
        long received = 0;
        long checksum = 0;
        server.On("PUT", $"{ProxyRoot}/0/{MlflowStubs.RunId}/artifacts/big.bin", async (context, _) =>
        {
            var buffer = ArrayPool<byte>.Shared.Rent(81_920);
            int read;
            while ((read = await context.Request.Body.ReadAsync(buffer)) > 0)
            {
                received += read;
                checksum += buffer[read - 1];
            }

            ArrayPool<byte>.Shared.Return(buffer);
            await RecordingServer.WriteJsonAsync(context, "{}");
        }, streamBody: true);
        using var client = TestClients.Create(server);
        await using var content = new PatternStream(size, seekable: false);
        var allocatedBefore = GC.GetTotalAllocatedBytes(precise: true);

        await client.Artifacts.UploadStreamAsync(MlflowStubs.ArtifactUri, content, "big.bin");

        var allocated = GC.GetTotalAllocatedBytes(precise: true) - allocatedBefore;
        output.WriteLine($"allocated {allocated / 1024} KiB for a {size / (1024 * 1024)} MiB upload");
        Assert.Equal(size, received);
        Assert.True(checksum > 0);
        Assert.Equal("chunked", Assert.Single(server.Requests).Header("Transfer-Encoding"));
        // Allocation is counted for the whole process (client and in-process server); a buffered upload would exceed 200 MB.
        Assert.True(allocated < 32L * 1024 * 1024, $"allocated {allocated / (1024 * 1024)} MB for a {size / (1024 * 1024)} MB upload");
    }

    [Fact]
    public async Task UploadStream_SeekableIsRewoundOnRetry()
    {
        await using var server = await RecordingServer.StartAsync();
        var calls = 0;
        server.On("PUT", $"{ProxyRoot}/0/{MlflowStubs.RunId}/artifacts/a.txt", (context, _) =>
            Interlocked.Increment(ref calls) == 1
                ? RecordingServer.WriteJsonAsync(context, """{"error_code":"TEMPORARILY_UNAVAILABLE","message":"busy"}""", 503)
                : RecordingServer.WriteJsonAsync(context, "{}"));
        using var client = TestClients.Create(server);
        using var content = new MemoryStream(Encoding.UTF8.GetBytes("xxhello"));
        content.Position = 2;

        await client.Artifacts.UploadStreamAsync(MlflowStubs.ArtifactUri, content, "a.txt");

        Assert.Equal(["hello", "hello"], server.Requests.Select(r => r.Body));
    }

    [Fact]
    public async Task UploadStream_NonSeekableIsNotRetried()
    {
        await using var server = await RecordingServer.StartAsync();
        server.OnJson("PUT", $"{ProxyRoot}/0/{MlflowStubs.RunId}/artifacts/a.bin", """{"error_code":"TEMPORARILY_UNAVAILABLE","message":"busy"}""", 503);
        using var client = TestClients.Create(server);
        await using var content = new PatternStream(1000, seekable: false);

        var error = await Assert.ThrowsAsync<MlflowException>(() => client.Artifacts.UploadStreamAsync(MlflowStubs.ArtifactUri, content, "a.bin"));

        Assert.Equal("TEMPORARILY_UNAVAILABLE", error.ErrorCode);
        Assert.Single(server.Requests);
    }

    [Fact]
    public async Task List_ReturnsPathsFromArtifactRoot()
    {
        await using var server = await RecordingServer.StartAsync("/u/alice");
        server.OnJson("GET", ProxyRoot, """{"files":[{"path":"weights.bin","is_dir":false,"file_size":"12"},{"path":"meta","is_dir":true}]}""");
        using var client = TestClients.Create(server);

        var files = await client.Artifacts.ListAsync(MlflowStubs.ArtifactUri, "model");

        Assert.Equal(new ArtifactFileInfo { Path = "model/weights.bin", IsDir = false, FileSize = 12 }, files[0]);
        Assert.Equal(new ArtifactFileInfo { Path = "model/meta", IsDir = true }, files[1]);
        Assert.Equal([$"0/{MlflowStubs.RunId}/artifacts/model"], Assert.Single(server.Requests).Query("path"));
    }

    [Fact]
    public async Task List_EmptyResponseIsEmptyList()
    {
        await using var server = await RecordingServer.StartAsync();
        server.OnJson("GET", ProxyRoot, "{}");
        using var client = TestClients.Create(server);

        Assert.Empty(await client.Artifacts.ListAsync(MlflowStubs.ArtifactUri));
    }

    [Fact]
    public async Task DownloadDirectory_WritesTreeLocally()
    {
        await using var server = await RecordingServer.StartAsync();
        var root = $"0/{MlflowStubs.RunId}/artifacts";
        server.On("GET", ProxyRoot, (context, request) => request.Query("path").Single() switch
        {
            var p when p == $"{root}/model" => RecordingServer.WriteJsonAsync(context, """{"files":[{"path":"a.txt","is_dir":false,"file_size":1},{"path":"sub","is_dir":true}]}"""),
            var p when p == $"{root}/model/sub" => RecordingServer.WriteJsonAsync(context, """{"files":[{"path":"b.txt","is_dir":false,"file_size":1}]}"""),
            _ => RecordingServer.WriteJsonAsync(context, """{"error_code":"RESOURCE_DOES_NOT_EXIST","message":"no"}""", 404),
        });
        server.On("GET", $"{ProxyRoot}/{root}/model/a.txt", (context, _) => context.Response.WriteAsync("A"));
        server.On("GET", $"{ProxyRoot}/{root}/model/sub/b.txt", (context, _) => context.Response.WriteAsync("B"));
        using var client = TestClients.Create(server);
        var target = Path.Combine(_folder, "download");

        await client.Artifacts.DownloadDirectoryAsync(MlflowStubs.ArtifactUri, "model", target);

        Assert.Equal("A", await File.ReadAllTextAsync(Path.Combine(target, "a.txt")));
        Assert.Equal("B", await File.ReadAllTextAsync(Path.Combine(target, "sub", "b.txt")));
        Assert.Equal(2, Directory.GetFiles(target, "*", SearchOption.AllDirectories).Length);
    }

    [Fact]
    public async Task DownloadFile_MissingLeavesNoFile()
    {
        await using var server = await RecordingServer.StartAsync();
        using var client = TestClients.Create(server);
        var target = Path.Combine(_folder, "missing.txt");

        var error = await Assert.ThrowsAsync<MlflowException>(() => client.Artifacts.DownloadFileAsync(MlflowStubs.ArtifactUri, "missing.txt", target));

        Assert.Equal(404, (int)error.StatusCode);
        Assert.Empty(Directory.GetFiles(_folder));
    }

    [Fact]
    public async Task DownloadDirectory_RejectsTraversalFromServer()
    {
        await using var server = await RecordingServer.StartAsync();
        server.OnJson("GET", ProxyRoot, """{"files":[{"path":"../../etc/passwd","is_dir":false}]}""");
        using var client = TestClients.Create(server);

        var error = await Assert.ThrowsAsync<ArgumentException>(() =>
            client.Artifacts.DownloadDirectoryAsync(MlflowStubs.ArtifactUri, null, Path.Combine(_folder, "d")));

        Assert.Contains("../../etc/passwd", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("../x")]
    [InlineData("a//b")]
    [InlineData("a\\b")]
    [InlineData("./a")]
    public async Task InvalidArtifactPath_IsRejected(string path)
    {
        await using var server = await RecordingServer.StartAsync();
        using var client = TestClients.Create(server);
        using var content = new MemoryStream([1]);

        var error = await Assert.ThrowsAsync<ArgumentException>(() => client.Artifacts.UploadStreamAsync(MlflowStubs.ArtifactUri, content, path));

        Assert.Contains(path, error.Message, StringComparison.Ordinal);
        Assert.Empty(server.Requests);
    }

    [Fact]
    public async Task UploadFile_MissingFileIsNamed()
    {
        await using var server = await RecordingServer.StartAsync();
        using var client = TestClients.Create(server);
        var missing = Path.Combine(_folder, "nope.bin");

        var error = await Assert.ThrowsAsync<FileNotFoundException>(() => client.Artifacts.UploadFileAsync(MlflowStubs.ArtifactUri, missing));

        Assert.Contains(missing, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task GcsArtifactUri_IsNotSupported()
    {
        await using var server = await RecordingServer.StartAsync();
        using var client = TestClients.Create(server);

        var error = await Assert.ThrowsAsync<NotSupportedException>(() => client.Artifacts.ListAsync("gs://bucket/0/run/artifacts"));

        Assert.Contains("--artifacts-destination", error.Message, StringComparison.Ordinal);
    }
}
