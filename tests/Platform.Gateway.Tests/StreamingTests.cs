using System.Net;
using System.Net.Http.Headers;
using Platform.Gateway.Tests.Fixtures;
using Platform.Testing.Oidc;

namespace Platform.Gateway.Tests;

/// <summary>
/// Large bodies pass through the gateway as streams. Each test holds back most of the body until the
/// other side has seen the first megabyte, which can only happen when the gateway does not buffer.
/// </summary>
public sealed class StreamingTests : IAsyncLifetime
{
    private const long LargeBodyBytes = 200L * 1024 * 1024;

    private TestOidcProvider _provider = null!;
    private TestUpstream _upstream = null!;
    private GatewayHost _gateway = null!;
    private string _token = null!;

    public async Task InitializeAsync()
    {
        _provider = await TestOidcProvider.StartAsync();
        _upstream = await TestUpstream.StartAsync("erin");
        _gateway = await GatewayHost.StartAsync(_provider);
        await _gateway.CreateTenantAsync("erin", "erin@lab.test", _upstream.Address);
        _token = await _gateway.CreateTokenAsync("erin@lab.test");
    }

    public async Task DisposeAsync()
    {
        await _gateway.DisposeAsync();
        await _upstream.DisposeAsync();
        await _provider.DisposeAsync();
    }

    [Fact]
    public async Task Upload_streams_without_buffering()
    {
        var heapBefore = GC.GetTotalMemory(forceFullCollection: true);
        using var request = new HttpRequestMessage(HttpMethod.Put, "u/erin/stream/upload")
        {
            Content = new GatedContent(LargeBodyBytes, _upstream.FirstMegabyteReceived.Task),
        };
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", _token);

        using var response = await _gateway.Client.SendAsync(request);
        var heapGrowth = GC.GetTotalMemory(forceFullCollection: false) - heapBefore;

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(LargeBodyBytes, _upstream.StreamedBytes);

        // Loose check, read once after the upload; the gated body above is what proves streaming.
        Assert.True(heapGrowth < 100L * 1024 * 1024, $"Managed heap grew by {heapGrowth / (1024 * 1024)} MB over the upload.");
    }

    [Fact]
    public async Task Download_streams_without_buffering()
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, $"u/erin/stream/download?size={LargeBodyBytes}");
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", _token);

        using var response = await _gateway.Client.SendAsync(request, HttpCompletionOption.ResponseHeadersRead);
        await using var body = await response.Content.ReadAsStreamAsync();
        var buffer = new byte[81920];
        long total = 0;
        while (total < 1 << 20)
        {
            var read = await body.ReadAsync(buffer).AsTask().WaitAsync(TimeSpan.FromSeconds(30));
            Assert.True(read > 0, "The body ended before the first megabyte.");
            total += read;
        }

        // The upstream sends the rest only now, so a buffering gateway would never have sent the first megabyte.
        _upstream.ReleaseDownload.SetResult();
        int chunk;
        while ((chunk = await body.ReadAsync(buffer)) > 0)
        {
            total += chunk;
        }

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(LargeBodyBytes, total);
    }

    /// <summary>Request body that sends one megabyte, waits for <c>gate</c>, then sends the rest.</summary>
    private sealed class GatedContent(long length, Task gate) : HttpContent
    {
        protected override async Task SerializeToStreamAsync(Stream stream, System.Net.TransportContext? context)
        {
            var chunk = new byte[1 << 20];
            await stream.WriteAsync(chunk);
            await stream.FlushAsync();
            await gate.WaitAsync(TimeSpan.FromSeconds(30));
            for (var sent = (long)chunk.Length; sent < length; sent += chunk.Length)
            {
                await stream.WriteAsync(chunk.AsMemory(0, (int)Math.Min(chunk.Length, length - sent)));
            }
        }

        protected override bool TryComputeLength(out long length)
        {
            length = 0;
            return false;
        }
    }
}
