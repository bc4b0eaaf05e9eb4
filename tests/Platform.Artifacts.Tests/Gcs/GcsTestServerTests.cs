using System.Net;
using System.Net.Http.Headers;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Google;
using Google.Cloud.Storage.V1;
using Platform.Artifacts.Tests.Support;
using Platform.Testing.Gcs;

namespace Platform.Artifacts.Tests.Gcs;

/// <summary>The GCS JSON API test server, driven by raw HTTP and by the real Google.Cloud.Storage.V1 client.</summary>
public sealed class GcsTestServerTests(Xunit.Abstractions.ITestOutputHelper output) : IAsyncLifetime
{
    private const string Bucket = "test-bucket";
    private const int Chunk = 256 * 1024;

    private GcsTestServer? _server;
    private HttpClient? _http;

    private GcsTestServer Server => _server!;

    private HttpClient Http => _http!;

    public async Task InitializeAsync()
    {
        _server = await GcsTestServer.StartAsync([Bucket]);
        _http = new HttpClient { BaseAddress = _server.Endpoint };
    }

    public async Task DisposeAsync()
    {
        _http!.Dispose();
        await _server!.DisposeAsync();
    }

    [Fact]
    public async Task ResumableUpload_ChunksWithStatusQuery_CreatesObject()
    {
        var data = TestData.Bytes((2 * Chunk) + 100);
        var session = await StartSessionAsync("runs/model.bin");

        using var first = await PutChunkAsync(session, data, 0, Chunk, total: null);
        Assert.Equal(HttpStatusCode.PermanentRedirect, first.StatusCode);
        Assert.Equal($"bytes=0-{Chunk - 1}", first.Headers.GetValues("Range").Single());

        using var status = await PutStatusQueryAsync(session, "bytes */*");
        Assert.Equal(HttpStatusCode.PermanentRedirect, status.StatusCode);
        Assert.Equal($"bytes=0-{Chunk - 1}", status.Headers.GetValues("Range").Single());

        // A client that did not see the 308 resends from 0; the server skips the bytes it already has.
        using var overlap = await PutChunkAsync(session, data, 0, 2 * Chunk, total: null);
        Assert.Equal(HttpStatusCode.PermanentRedirect, overlap.StatusCode);
        Assert.Equal($"bytes=0-{(2 * Chunk) - 1}", overlap.Headers.GetValues("Range").Single());

        using var last = await PutChunkAsync(session, data, 2 * Chunk, 100, total: data.Length);
        Assert.Equal(HttpStatusCode.OK, last.StatusCode);
        using var json = JsonDocument.Parse(await last.Content.ReadAsStringAsync());
        Assert.Equal("runs/model.bin", json.RootElement.GetProperty("name").GetString());
        Assert.Equal(data.Length.ToString(System.Globalization.CultureInfo.InvariantCulture), json.RootElement.GetProperty("size").GetString());
        Assert.Equal(Convert.ToBase64String(MD5.HashData(data)), json.RootElement.GetProperty("md5Hash").GetString());

        Assert.Equal(data, await DownloadAsync("runs/model.bin"));
    }

    [Fact]
    public async Task StatusQuery_NoData_OmitsRange()
    {
        var session = await StartSessionAsync("empty-start.bin");

        using var status = await PutStatusQueryAsync(session, "bytes */*");

        Assert.Equal(HttpStatusCode.PermanentRedirect, status.StatusCode);
        Assert.False(status.Headers.Contains("Range"));
    }

    [Fact]
    public async Task ResumableUpload_StatusQueryWithTotalReached_Finalizes()
    {
        var data = TestData.Bytes(Chunk);
        var session = await StartSessionAsync("exact.bin");
        (await PutChunkAsync(session, data, 0, Chunk, total: null)).Dispose();

        using var status = await PutStatusQueryAsync(session, $"bytes */{Chunk}");

        Assert.Equal(HttpStatusCode.OK, status.StatusCode);
        Assert.Equal(data, await DownloadAsync("exact.bin"));
    }

    [Fact]
    public async Task ResumableUpload_GapInOffsets_Returns400()
    {
        var data = TestData.Bytes(3 * Chunk);
        var session = await StartSessionAsync("gap.bin");

        using var response = await PutChunkAsync(session, data, Chunk, Chunk, total: null);

        await AssertGoogleErrorAsync(response, 400, "invalid", "exceeds already uploaded size of 0");
    }

    [Fact]
    public async Task ResumableUpload_UnalignedMiddleChunk_Returns400()
    {
        var data = TestData.Bytes(3 * Chunk);
        var session = await StartSessionAsync("unaligned.bin");

        using var response = await PutChunkAsync(session, data, 0, 1000, total: null);

        await AssertGoogleErrorAsync(response, 400, "invalid", "not a multiple of 262144");
    }

    [Fact]
    public async Task ResumableUpload_WrongHash_Rejected()
    {
        var data = TestData.Bytes(100);
        var session = await StartSessionAsync("hash.bin");
        using var request = ChunkRequest(session, data, 0, 100, total: 100);
        request.Headers.Add("X-Goog-Hash", "crc32c=AAAAAA==");

        using var response = await Http.SendAsync(request);

        await AssertGoogleErrorAsync(response, 400, "invalid", "crc32c");
        Assert.Empty(Server.ObjectNames(Bucket));
    }

    [Fact]
    public async Task ResumableUpload_Cancel_Returns499AndForgetsSession()
    {
        var session = await StartSessionAsync("cancelled.bin");

        using var cancel = await Http.DeleteAsync(session);
        using var after = await PutStatusQueryAsync(session, "bytes */*");

        Assert.Equal(499, (int)cancel.StatusCode);
        await AssertGoogleErrorAsync(after, 404, "notFound", "No upload session");
    }

    [Fact]
    public async Task MediaUpload_StoresBodyWithContentType()
    {
        using var content = new ByteArrayContent("hello"u8.ToArray());
        content.Headers.ContentType = new MediaTypeHeaderValue("text/plain");

        using var response = await Http.PostAsync($"upload/storage/v1/b/{Bucket}/o?uploadType=media&name=a%2Fhello.txt", content);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("text/plain", Server.Store.Find(Bucket, "a/hello.txt")?.ContentType);
        Assert.Equal("hello"u8.ToArray(), await DownloadAsync("a/hello.txt"));
    }

    [Fact]
    public async Task MultipartUpload_UsesMetadataPart()
    {
        using var content = new MultipartContent("related", "boundary-123");
        content.Add(new StringContent("""{"name":"multi/part.json","contentType":"application/json"}""", Encoding.UTF8, "application/json"));
        content.Add(new ByteArrayContent("{\"a\":1}"u8.ToArray()));

        using var response = await Http.PostAsync($"upload/storage/v1/b/{Bucket}/o?uploadType=multipart", content);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("application/json", Server.Store.Find(Bucket, "multi/part.json")?.ContentType);
        Assert.Equal("{\"a\":1}"u8.ToArray(), await DownloadAsync("multi/part.json"));
    }

    [Fact]
    public async Task List_Pages_ReturnEachEntryOnce()
    {
        foreach (var name in new[] { "p/a.txt", "p/b.txt", "p/dir1/x", "p/dir1/y", "p/dir2/z", "p/z.txt", "q/other" })
        {
            await UploadMediaAsync(name, "x"u8.ToArray());
        }

        var items = new List<string>();
        var prefixes = new List<string>();
        string? token = null;
        var pages = 0;
        do
        {
            var url = $"storage/v1/b/{Bucket}/o?prefix=p%2F&delimiter=%2F&maxResults=2" + (token is null ? string.Empty : $"&pageToken={Uri.EscapeDataString(token)}");
            using var json = JsonDocument.Parse(await Http.GetStringAsync(url));
            pages++;
            if (json.RootElement.TryGetProperty("items", out var pageItems))
            {
                items.AddRange(pageItems.EnumerateArray().Select(i => i.GetProperty("name").GetString()!));
            }

            if (json.RootElement.TryGetProperty("prefixes", out var pagePrefixes))
            {
                prefixes.AddRange(pagePrefixes.EnumerateArray().Select(p => p.GetString()!));
            }

            token = json.RootElement.TryGetProperty("nextPageToken", out var next) ? next.GetString() : null;
        }
        while (token is not null);

        Assert.Equal(["p/a.txt", "p/b.txt", "p/z.txt"], items);
        Assert.Equal(["p/dir1/", "p/dir2/"], prefixes);
        Assert.Equal(3, pages);
    }

    [Fact]
    public async Task Download_Range_Returns206()
    {
        var data = TestData.Bytes(1000);
        await UploadMediaAsync("r.bin", data);
        using var request = new HttpRequestMessage(HttpMethod.Get, $"storage/v1/b/{Bucket}/o/r.bin?alt=media");
        request.Headers.Range = new RangeHeaderValue(10, 19);

        using var response = await Http.SendAsync(request);

        Assert.Equal(HttpStatusCode.PartialContent, response.StatusCode);
        Assert.Equal("bytes 10-19/1000", response.Content.Headers.ContentRange?.ToString());
        Assert.Equal(data[10..20], await response.Content.ReadAsByteArrayAsync());
    }

    [Fact]
    public async Task Download_RangePastEnd_Returns416()
    {
        await UploadMediaAsync("r.bin", TestData.Bytes(10));
        using var request = new HttpRequestMessage(HttpMethod.Get, $"storage/v1/b/{Bucket}/o/r.bin?alt=media");
        request.Headers.Range = new RangeHeaderValue(10, null);

        using var response = await Http.SendAsync(request);

        await AssertGoogleErrorAsync(response, 416, "requestedRangeNotSatisfiable", "cannot be satisfied");
    }

    [Theory]
    [InlineData("GET", "storage/v1/b/test-bucket/o/missing.txt")]
    [InlineData("GET", "storage/v1/b/test-bucket/o/missing.txt?alt=media")]
    [InlineData("GET", "download/storage/v1/b/test-bucket/o/missing.txt?alt=media")]
    [InlineData("DELETE", "storage/v1/b/test-bucket/o/missing.txt")]
    public async Task MissingObject_Returns404GoogleError(string method, string url)
    {
        using var response = await Http.SendAsync(new HttpRequestMessage(new HttpMethod(method), url));

        await AssertGoogleErrorAsync(response, 404, "notFound", "No such object: test-bucket/missing.txt");
    }

    [Fact]
    public async Task MissingBucket_Returns404GoogleError()
    {
        using var response = await Http.GetAsync("storage/v1/b/no-bucket/o");

        await AssertGoogleErrorAsync(response, 404, "notFound", "bucket does not exist");
    }

    [Fact]
    public async Task RealClient_ChunkedUpload_SendsResumableRequests()
    {
        var client = CreateClient();
        var data = TestData.Bytes((4 * Chunk) + 3);

        await client.UploadObjectAsync(Bucket, "a/b c.bin", "application/octet-stream", new NonSeekableStream(new MemoryStream(data)),
            new UploadObjectOptions { ChunkSize = Chunk });

        var requests = Server.Requests.Snapshot();
        Assert.Equal("POST", requests[0].Method);
        Assert.Equal($"/upload/storage/v1/b/{Bucket}/o", requests[0].Path);
        Assert.Contains("uploadType=resumable", requests[0].Query, StringComparison.Ordinal);
        Assert.Equal(
            ["bytes 0-262143/*", "bytes 262144-524287/*", "bytes 524288-786431/*", "bytes 786432-1048575/*", "bytes 1048576-1048578/1048579"],
            requests.Where(r => r.Method == "PUT").Select(r => r.ContentRange));
        Assert.Equal(data, await DownloadAsync("a/b c.bin"));
    }

    [Fact]
    public async Task RealClient_ChunkFailure_ResumesFromPersistedOffset()
    {
        var client = CreateClient();
        var data = TestData.Bytes((4 * Chunk) + 3);
        Server.Store.FailNextChunks(1);

        await client.UploadObjectAsync(Bucket, "resumed.bin", "application/octet-stream", new NonSeekableStream(new MemoryStream(data)),
            new UploadObjectOptions { ChunkSize = 2 * Chunk });

        var puts = Server.Requests.Snapshot().Where(r => r.Method == "PUT").Select(r => r.ContentRange).ToList();
        output.WriteLine(string.Join(Environment.NewLine, puts));

        // The failed chunk kept its first 256 KiB; the client asks for the status and resumes there.
        Assert.Equal(["bytes 0-524287/*", "bytes */*", "bytes 262144-786431/*", "bytes 786432-1048578/1048579"], puts);
        Assert.Equal(data, await DownloadAsync("resumed.bin"));
    }

    [Fact]
    public async Task RealClient_ObjectNamesAreEncodedInPath()
    {
        var client = CreateClient();
        await client.UploadObjectAsync(Bucket, "dir/with space/ü.txt", "text/plain", new MemoryStream("x"u8.ToArray()));

        var metadata = await client.GetObjectAsync(Bucket, "dir/with space/ü.txt");
        var error = await Assert.ThrowsAsync<GoogleApiException>(() => client.GetObjectAsync(Bucket, "dir/missing"));

        Assert.Equal(1UL, metadata.Size);
        Assert.Equal(HttpStatusCode.NotFound, error.HttpStatusCode);
        Assert.Contains(Server.Requests.Snapshot(), r => r.Path == $"/storage/v1/b/{Bucket}/o/dir%2Fwith%20space%2F%C3%BC.txt");
    }

    private StorageClient CreateClient() => new StorageClientBuilder { BaseUri = Server.BaseUri, UnauthenticatedAccess = true }.Build();

    private async Task<string> StartSessionAsync(string name)
    {
        using var metadata = new StringContent($$"""{"name":"{{name}}"}""", Encoding.UTF8, "application/json");
        using var response = await Http.PostAsync($"upload/storage/v1/b/{Bucket}/o?uploadType=resumable", metadata);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var location = response.Headers.Location!.AbsoluteUri;
        Assert.Contains("upload_id=", location, StringComparison.Ordinal);
        return location;
    }

    private static HttpRequestMessage ChunkRequest(string session, byte[] data, int offset, int length, long? total)
    {
        var request = new HttpRequestMessage(HttpMethod.Put, session) { Content = new ByteArrayContent(data, offset, length) };
        request.Content.Headers.ContentRange = total is { } t
            ? new ContentRangeHeaderValue(offset, offset + length - 1, t)
            : ContentRangeHeaderValue.Parse($"bytes {offset}-{offset + length - 1}/*");
        return request;
    }

    private Task<HttpResponseMessage> PutChunkAsync(string session, byte[] data, int offset, int length, long? total) =>
        Http.SendAsync(ChunkRequest(session, data, offset, length, total));

    private Task<HttpResponseMessage> PutStatusQueryAsync(string session, string contentRange)
    {
        var request = new HttpRequestMessage(HttpMethod.Put, session) { Content = new ByteArrayContent([]) };
        request.Content.Headers.TryAddWithoutValidation("Content-Range", contentRange);
        return Http.SendAsync(request);
    }

    private async Task UploadMediaAsync(string name, byte[] data)
    {
        using var response = await Http.PostAsync($"upload/storage/v1/b/{Bucket}/o?uploadType=media&name={Uri.EscapeDataString(name)}", new ByteArrayContent(data));
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }

    private async Task<byte[]> DownloadAsync(string name)
    {
        using var destination = new MemoryStream();
        await CreateClient().DownloadObjectAsync(Bucket, name, destination);
        return destination.ToArray();
    }

    private static async Task AssertGoogleErrorAsync(HttpResponseMessage response, int status, string reason, string messagePart)
    {
        Assert.Equal(status, (int)response.StatusCode);
        using var json = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        var error = json.RootElement.GetProperty("error");
        Assert.Equal(status, error.GetProperty("code").GetInt32());
        Assert.Contains(messagePart, error.GetProperty("message").GetString(), StringComparison.Ordinal);
        Assert.Equal(reason, error.GetProperty("errors")[0].GetProperty("reason").GetString());
    }
}
