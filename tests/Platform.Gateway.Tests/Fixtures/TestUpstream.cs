using System.Collections.Concurrent;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Platform.Gateway.Tests.Fixtures;

/// <summary>
/// An HTTP server on 127.0.0.1 in place of one tenant's tracking server. It echoes what the gateway
/// forwarded (path, identity headers, its own tenant name) and stores artifacts per tenant. Its
/// streaming endpoints complete their handshakes only when the gateway does not buffer.
/// </summary>
public sealed class TestUpstream : IAsyncDisposable
{
    private readonly WebApplication _app;

    private TestUpstream(string tenant, WebApplication app)
    {
        Tenant = tenant;
        _app = app;
    }

    /// <summary>The tenant whose data this server holds; every echo names it.</summary>
    public string Tenant { get; }

    public string Address { get; private set; } = string.Empty;

    /// <summary>Headers of every request received, in order.</summary>
    public ConcurrentQueue<Dictionary<string, string>> ReceivedHeaders { get; } = new();

    /// <summary>Artifacts uploaded to this tenant, by path.</summary>
    public ConcurrentDictionary<string, byte[]> Artifacts { get; } = new();

    /// <summary>Completed once the streaming upload endpoint has received its first megabyte.</summary>
    public TaskCompletionSource FirstMegabyteReceived { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

    /// <summary>The streaming download endpoint holds back everything after its first megabyte until this completes.</summary>
    public TaskCompletionSource ReleaseDownload { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

    /// <summary>Total bytes the streaming upload endpoint received.</summary>
    public long StreamedBytes { get; private set; }

    public static async Task<TestUpstream> StartAsync(string tenant)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.WebHost.ConfigureKestrel(k => k.Limits.MaxRequestBodySize = null);
        builder.Logging.ClearProviders();
        var app = builder.Build();
        var upstream = new TestUpstream(tenant, app);
        upstream.Map();
        await app.StartAsync();
        upstream.Address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First().TrimEnd('/');
        return upstream;
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }

    private void Map()
    {
        _app.Use(async (context, next) =>
        {
            if (context.Request.Path != "/healthz")
            {
                ReceivedHeaders.Enqueue(context.Request.Headers.ToDictionary(h => h.Key, h => h.Value.ToString(), StringComparer.OrdinalIgnoreCase));
            }

            await next(context);
        });

        _app.MapGet("/healthz", () => Results.Text("Healthy"));

        _app.MapMethods("/api/2.0/mlflow/{**rest}", ["GET", "POST"], async (HttpContext context) =>
        {
            using var reader = new StreamReader(context.Request.Body);
            var body = await reader.ReadToEndAsync();
            return Results.Json(new
            {
                tenant = Tenant,
                method = context.Request.Method,
                path = context.Request.Path.Value,
                user = context.Request.Headers["X-LabPlatform-User"].ToString(),
                body,
            });
        });

        _app.MapPut("/api/2.0/mlflow-artifacts/artifacts/{**path}", async (string path, HttpContext context) =>
        {
            using var buffer = new MemoryStream();
            await context.Request.Body.CopyToAsync(buffer);
            Artifacts[path] = buffer.ToArray();
            return Results.Json(new { tenant = Tenant });
        });

        _app.MapGet("/api/2.0/mlflow-artifacts/artifacts/{**path}", (string path) =>
            Artifacts.TryGetValue(path, out var content)
                ? Results.Bytes(content, "application/octet-stream")
                : Results.Json(new { error_code = "RESOURCE_DOES_NOT_EXIST", message = $"{path} not found in {Tenant}" }, statusCode: 404));

        _app.MapPut("/stream/upload", async (HttpContext context) =>
        {
            var buffer = new byte[81920];
            long total = 0;
            int read;
            while ((read = await context.Request.Body.ReadAsync(buffer)) > 0)
            {
                total += read;
                if (total >= 1 << 20)
                {
                    FirstMegabyteReceived.TrySetResult();
                }
            }

            StreamedBytes = total;
            return Results.Json(new { tenant = Tenant, bytes = total });
        });

        _app.MapGet("/stream/download", async (long size, HttpContext context) =>
        {
            context.Features.Get<IHttpResponseBodyFeature>()?.DisableBuffering();
            context.Response.ContentType = "application/octet-stream";
            context.Response.ContentLength = size;
            var chunk = new byte[1 << 20];
            await context.Response.Body.WriteAsync(chunk);
            await context.Response.Body.FlushAsync();
            await ReleaseDownload.Task.WaitAsync(TimeSpan.FromSeconds(60));
            for (var sent = (long)chunk.Length; sent < size; sent += chunk.Length)
            {
                await context.Response.Body.WriteAsync(chunk.AsMemory(0, (int)Math.Min(chunk.Length, size - sent)));
            }
        });
    }
}
