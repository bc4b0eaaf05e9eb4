using System.Net;
using System.Net.Http.Headers;
using System.Text.Json;
using Platform.Artifacts.Tests.Support;

namespace Platform.Artifacts.Tests.Endpoints;

/// <summary>The MLflow artifact proxy endpoints over real Kestrel, once per store kind.</summary>
public abstract class ArtifactEndpointTests : IAsyncLifetime
{
    private const string RunRoot = "1/0a1b2c3d4e5f/artifacts";

    private StoreUnderTest? _subject;
    private ArtifactServer? _server;

    protected abstract string Kind { get; }

    private HttpClient Http => _server!.Client;

    private MlflowPythonClient Python => new(Http);

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

    [Fact]
    public async Task LogArtifact_ThenDownload_ReturnsSameBytes()
    {
        var content = "epoch,loss\n1,0.5\n"u8.ToArray();

        using var upload = await Python.LogArtifactAsync(RunRoot, null, "metrics.csv", content, "text/csv");
        Assert.Equal(HttpStatusCode.OK, upload.StatusCode);
        Assert.Equal("{}", await upload.Content.ReadAsStringAsync());

        using var download = await Python.DownloadArtifactAsync(RunRoot, "metrics.csv");
        Assert.Equal(HttpStatusCode.OK, download.StatusCode);
        Assert.Equal(content, await download.Content.ReadAsByteArrayAsync());
        Assert.Equal("text/plain", download.Content.Headers.ContentType?.MediaType);
        Assert.Equal(content.Length, download.Content.Headers.ContentLength);
        Assert.Equal("attachment", download.Content.Headers.ContentDisposition?.DispositionType);
        Assert.Equal("metrics.csv", download.Content.Headers.ContentDisposition?.FileName);
        Assert.Equal("nosniff", download.Headers.GetValues("X-Content-Type-Options").Single());
    }

    [Theory]
    [InlineData("model.pkl", "application/octet-stream")]
    [InlineData("MLmodel", "text/plain")]
    [InlineData("conf.yaml", "text/plain")]
    [InlineData("plot.png", "image/png")]
    [InlineData("page.html", "text/html")]
    public async Task Download_ContentType_FollowsMlflow(string fileName, string expected)
    {
        using var upload = await Python.LogArtifactAsync(RunRoot, null, fileName, [1, 2, 3], "application/octet-stream");
        Assert.Equal(HttpStatusCode.OK, upload.StatusCode);

        using var download = await Python.DownloadArtifactAsync(RunRoot, fileName);

        Assert.Equal(expected, download.Content.Headers.ContentType?.MediaType);
    }

    [Fact]
    public async Task ListArtifacts_ReturnsBaseNames()
    {
        // log_artifacts(local_dir, artifact_path="outputs") sends one PUT per file below the folder.
        var files = new Dictionary<string, byte[]>
        {
            ["outputs/model.pkl"] = TestData.Bytes(300),
            ["outputs/summary.json"] = "{}"u8.ToArray(),
            ["outputs/plots/loss.png"] = TestData.Bytes(20),
            ["outputs/plots/deep/auc.png"] = TestData.Bytes(30),
        };
        foreach (var (path, content) in files)
        {
            var slash = path.LastIndexOf('/');
            using var response = await Python.LogArtifactAsync(RunRoot, path[..slash], path[(slash + 1)..], content, "application/octet-stream");
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        }

        using var top = await Python.ListArtifactsAsync(RunRoot, null);
        using var outputs = await Python.ListArtifactsAsync(RunRoot, "outputs");
        using var plots = await Python.ListArtifactsAsync(RunRoot, "outputs/plots");

        Assert.Equal("""{"files":[{"path":"outputs","is_dir":true}]}""", await top.Content.ReadAsStringAsync());
        Assert.Equal(
            """{"files":[{"path":"model.pkl","is_dir":false,"file_size":300},{"path":"plots","is_dir":true},{"path":"summary.json","is_dir":false,"file_size":2}]}""",
            await SortedFilesJsonAsync(outputs));
        Assert.Equal(
            """{"files":[{"path":"deep","is_dir":true},{"path":"loss.png","is_dir":false,"file_size":20}]}""",
            await SortedFilesJsonAsync(plots));
        Assert.Equal("application/json", outputs.Content.Headers.ContentType?.MediaType);
    }

    [Fact]
    public async Task DownloadArtifacts_Folder_FetchesEveryFileThroughListing()
    {
        var expected = new Dictionary<string, byte[]>
        {
            ["data/a.bin"] = TestData.Bytes(10, seed: 1),
            ["data/sub/b.bin"] = TestData.Bytes(20, seed: 2),
        };
        foreach (var (path, content) in expected)
        {
            var slash = path.LastIndexOf('/');
            (await Python.LogArtifactAsync(RunRoot, path[..slash], path[(slash + 1)..], content, "application/octet-stream")).Dispose();
        }

        // download_artifacts walks the listing recursively and GETs each file.
        var downloaded = new Dictionary<string, byte[]>();
        var pending = new Queue<string>(["data"]);
        while (pending.TryDequeue(out var folder))
        {
            using var list = await Python.ListArtifactsAsync(RunRoot, folder);
            using var json = JsonDocument.Parse(await list.Content.ReadAsStringAsync());
            foreach (var file in json.RootElement.GetProperty("files").EnumerateArray())
            {
                var path = $"{folder}/{file.GetProperty("path").GetString()}";
                if (file.GetProperty("is_dir").GetBoolean())
                {
                    pending.Enqueue(path);
                    continue;
                }

                using var download = await Python.DownloadArtifactAsync(RunRoot, path);
                downloaded[path] = await download.Content.ReadAsByteArrayAsync();
            }
        }

        Assert.Equal(expected.OrderBy(p => p.Key), downloaded.OrderBy(p => p.Key));
    }

    [Fact]
    public async Task List_MissingFolder_ReturnsEmptyFiles()
    {
        using var response = await Python.ListArtifactsAsync(RunRoot, "nothing/here");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("""{"files":[]}""", await response.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task List_UnsafePath_Returns400()
    {
        using var response = await Http.GetAsync("/api/2.0/mlflow-artifacts/artifacts?path=..%2F..%2Ftenants%2Fbob");

        await AssertMlflowErrorAsync(response, HttpStatusCode.BadRequest, "INVALID_PARAMETER_VALUE", "'..' segment");
    }

    [Fact]
    public async Task Download_Missing_Returns404Json()
    {
        using var response = await Python.DownloadArtifactAsync(RunRoot, "missing.txt");

        await AssertMlflowErrorAsync(response, HttpStatusCode.NotFound, "RESOURCE_DOES_NOT_EXIST", "missing.txt");
    }

    [Fact]
    public async Task Download_Folder_Returns400Json()
    {
        (await Python.LogArtifactAsync(RunRoot, "dir", "f.txt", [1], "text/plain")).Dispose();

        using var response = await Python.DownloadArtifactAsync(RunRoot, "dir");

        await AssertMlflowErrorAsync(response, HttpStatusCode.BadRequest, "INVALID_PARAMETER_VALUE", "is a folder");
    }

    [Fact]
    public async Task Download_Range_Returns206WithContentRange()
    {
        var content = TestData.Bytes(1000);
        (await Python.LogArtifactAsync(RunRoot, null, "r.bin", content, "application/octet-stream")).Dispose();
        using var request = new HttpRequestMessage(HttpMethod.Get, $"/api/2.0/mlflow-artifacts/artifacts/{RunRoot}/r.bin");
        request.Headers.Range = new RangeHeaderValue(100, 199);

        using var response = await Http.SendAsync(request);

        Assert.Equal(HttpStatusCode.PartialContent, response.StatusCode);
        Assert.Equal("bytes 100-199/1000", response.Content.Headers.ContentRange?.ToString());
        Assert.Equal(content[100..200], await response.Content.ReadAsByteArrayAsync());
        Assert.Equal("bytes", response.Headers.AcceptRanges.Single());
    }

    [Fact]
    public async Task Download_SuffixRange_ReturnsLastBytes()
    {
        var content = TestData.Bytes(1000);
        (await Python.LogArtifactAsync(RunRoot, null, "r.bin", content, "application/octet-stream")).Dispose();
        using var request = new HttpRequestMessage(HttpMethod.Get, $"/api/2.0/mlflow-artifacts/artifacts/{RunRoot}/r.bin");
        request.Headers.Range = new RangeHeaderValue(null, 10);

        using var response = await Http.SendAsync(request);

        Assert.Equal(HttpStatusCode.PartialContent, response.StatusCode);
        Assert.Equal(content[990..], await response.Content.ReadAsByteArrayAsync());
    }

    [Fact]
    public async Task Download_RangePastEnd_Returns416()
    {
        (await Python.LogArtifactAsync(RunRoot, null, "r.bin", TestData.Bytes(50), "application/octet-stream")).Dispose();
        using var request = new HttpRequestMessage(HttpMethod.Get, $"/api/2.0/mlflow-artifacts/artifacts/{RunRoot}/r.bin");
        request.Headers.Range = new RangeHeaderValue(50, null);

        using var response = await Http.SendAsync(request);

        await AssertMlflowErrorAsync(response, HttpStatusCode.RequestedRangeNotSatisfiable, "INVALID_PARAMETER_VALUE", "50 bytes");
        Assert.Equal("bytes */50", response.Content.Headers.ContentRange?.ToString());
    }

    [Fact]
    public async Task Delete_File_ThenDownloadReturns404()
    {
        (await Python.LogArtifactAsync(RunRoot, null, "gone.txt", [1], "text/plain")).Dispose();

        using var delete = await Http.DeleteAsync($"/api/2.0/mlflow-artifacts/artifacts/{RunRoot}/gone.txt");
        using var download = await Python.DownloadArtifactAsync(RunRoot, "gone.txt");

        Assert.Equal(HttpStatusCode.OK, delete.StatusCode);
        Assert.Equal("{}", await delete.Content.ReadAsStringAsync());
        Assert.Equal(HttpStatusCode.NotFound, download.StatusCode);
    }

    [Fact]
    public async Task Delete_Missing_Returns404Json()
    {
        using var response = await Http.DeleteAsync($"/api/2.0/mlflow-artifacts/artifacts/{RunRoot}/never.txt");

        await AssertMlflowErrorAsync(response, HttpStatusCode.NotFound, "RESOURCE_DOES_NOT_EXIST", "never.txt");
    }

    [Theory]
    [InlineData("create")]
    [InlineData("complete")]
    [InlineData("abort")]
    public async Task MultipartUpload_Returns501NotImplemented(string operation)
    {
        using var body = new StringContent("""{"path":"x","num_parts":2}""", System.Text.Encoding.UTF8, "application/json");

        using var response = await Http.PostAsync($"/api/2.0/mlflow-artifacts/mpu/{operation}/{RunRoot}/big.bin", body);

        await AssertMlflowErrorAsync(response, HttpStatusCode.NotImplemented, "NOT_IMPLEMENTED", "single PUT");
    }

    [Fact]
    public async Task AjaxApiPrefix_ServesSameArtifacts()
    {
        (await Python.LogArtifactAsync(RunRoot, null, "ui.txt", "ui"u8.ToArray(), "text/plain")).Dispose();

        using var download = await Http.GetAsync($"/ajax-api/2.0/mlflow-artifacts/artifacts/{RunRoot}/ui.txt");
        using var list = await Http.GetAsync($"/ajax-api/2.0/mlflow-artifacts/artifacts?path={Uri.EscapeDataString(RunRoot)}");

        Assert.Equal("ui"u8.ToArray(), await download.Content.ReadAsByteArrayAsync());
        Assert.Equal("""{"files":[{"path":"ui.txt","is_dir":false,"file_size":2}]}""", await list.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task Upload_ChunkedBodyOverManyMegabytes_RoundTrips()
    {
        // No Content-Length, so Kestrel reads a chunked body; larger than Kestrel's 30 MB default limit.
        var content = TestData.Bytes(33 * 1024 * 1024);
        using var request = new HttpRequestMessage(HttpMethod.Put, $"/api/2.0/mlflow-artifacts/artifacts/{RunRoot}/large.bin")
        {
            Content = new StreamContent(new NonSeekableStream(new MemoryStream(content))),
        };
        request.Headers.TransferEncodingChunked = true;

        using var upload = await Http.SendAsync(request);
        Assert.Equal(HttpStatusCode.OK, upload.StatusCode);

        using var download = await Python.DownloadArtifactAsync(RunRoot, "large.bin");
        Assert.Equal(TestData.Sha256(content), TestData.Sha256(await download.Content.ReadAsByteArrayAsync()));
    }

    [Fact]
    public async Task Upload_OverConfiguredLimit_Returns413AndStoresNothing()
    {
        await using var limited = await ArtifactServer.StartAsync(_subject!, options => options.MaxUploadBytes = 1000);
        using var request = new HttpRequestMessage(HttpMethod.Put, $"/api/2.0/mlflow-artifacts/artifacts/{RunRoot}/too-big.bin")
        {
            Content = new ByteArrayContent(TestData.Bytes(5000)),
        };

        using var response = await limited.Client.SendAsync(request);

        await AssertMlflowErrorAsync(response, HttpStatusCode.RequestEntityTooLarge, "INVALID_PARAMETER_VALUE", "request body");
        Assert.Equal(ArtifactEntryKind.None, await _subject!.Store.GetEntryKindAsync(ArtifactPath.ParseFile($"{RunRoot}/too-big.bin"), default));
    }

    [Fact]
    public async Task Upload_ClientDisconnects_LeavesNoFile()
    {
        // The declared length is never reached, so Kestrel reports an incomplete body when the stream fails.
        var request = new HttpRequestMessage(HttpMethod.Put, $"/api/2.0/mlflow-artifacts/artifacts/{RunRoot}/cut.bin")
        {
            Content = new StreamContent(new NonSeekableStream(new MemoryStream(TestData.Bytes(2_000_000)), failAfterBytes: 600_000)),
        };
        request.Content.Headers.ContentLength = 2_000_000;

        await Assert.ThrowsAnyAsync<Exception>(() => Http.SendAsync(request));

        // The server notices the abort after the client does, so it gets a moment to (wrongly) commit the file.
        await Task.Delay(500);
        Assert.DoesNotContain(_subject!.AllKeys(), key => key.EndsWith("cut.bin", StringComparison.Ordinal));
    }

    internal static async Task AssertMlflowErrorAsync(HttpResponseMessage response, HttpStatusCode status, string errorCode, string messagePart)
    {
        Assert.Equal(status, response.StatusCode);
        Assert.Equal("application/json", response.Content.Headers.ContentType?.MediaType);
        using var json = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        Assert.Equal(errorCode, json.RootElement.GetProperty("error_code").GetString());
        Assert.Contains(messagePart, json.RootElement.GetProperty("message").GetString(), StringComparison.Ordinal);
    }

    // Store listings have no guaranteed order (GCS returns prefixes and objects separately), so the
    // entries are sorted before the JSON is compared.
    private static async Task<string> SortedFilesJsonAsync(HttpResponseMessage response)
    {
        using var json = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        var files = json.RootElement.GetProperty("files").EnumerateArray()
            .OrderBy(f => f.GetProperty("path").GetString(), StringComparer.Ordinal)
            .Select(f => f.GetRawText());
        return $$"""{"files":[{{string.Join(',', files)}}]}""";
    }
}

public sealed class LocalArtifactEndpointTests : ArtifactEndpointTests
{
    protected override string Kind => "local";
}

public sealed class GcsArtifactEndpointTests : ArtifactEndpointTests
{
    protected override string Kind => "gcs";
}
