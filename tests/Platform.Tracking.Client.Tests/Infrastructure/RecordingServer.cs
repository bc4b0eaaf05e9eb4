using System.Collections.Concurrent;
using System.Text;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Platform.Tracking.Client.Tests;

/// <summary>
/// A real Kestrel server on 127.0.0.1 that records every request and responds through the handler registered for its
/// method and path. Unregistered routes get MLflow's 404 ENDPOINT_NOT_FOUND body.
/// </summary>
public sealed class RecordingServer : IAsyncDisposable
{
    public delegate Task Handler(HttpContext context, RecordedRequest request);

    private readonly WebApplication _app;
    private readonly ConcurrentDictionary<string, Handler> _handlers = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, bool> _streamedRoutes = new(StringComparer.Ordinal);
    private readonly ConcurrentQueue<RecordedRequest> _requests = new();

    private RecordingServer(WebApplication app, string pathPrefix)
    {
        _app = app;
        PathPrefix = pathPrefix;
    }

    /// <summary>Prefix that every route lives under, such as <c>/u/alice</c>, as a gateway adds.</summary>
    public string PathPrefix { get; }

    /// <summary>Tracking URI for the client, including <see cref="PathPrefix"/>.</summary>
    public Uri TrackingUri { get; private set; } = null!;

    public IReadOnlyList<RecordedRequest> Requests => _requests.ToArray();

    public static async Task<RecordingServer> StartAsync(string pathPrefix = "")
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.WebHost.ConfigureKestrel(options => options.Limits.MaxRequestBodySize = null);
        builder.Logging.ClearProviders();
        var app = builder.Build();
        var server = new RecordingServer(app, pathPrefix);
        app.Run(server.HandleAsync);
        await app.StartAsync();
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        server.TrackingUri = new Uri(address + pathPrefix);
        return server;
    }

    /// <summary>Registers a handler for a path relative to the prefix, such as <c>/api/2.0/mlflow/runs/create</c>.</summary>
    public void On(string method, string path, Handler handler, bool streamBody = false)
    {
        var key = Key(method, PathPrefix + path);
        _handlers[key] = handler;
        _streamedRoutes[key] = streamBody;
    }

    /// <summary>Answers a route with a fixed status and JSON body.</summary>
    public void OnJson(string method, string path, string json, int status = 200) =>
        On(method, path, (context, _) => WriteJsonAsync(context, json, status));

    public IReadOnlyList<RecordedRequest> RequestsTo(string path) =>
        Requests.Where(r => r.Path == PathPrefix + path).ToList();

    public static async Task WriteJsonAsync(HttpContext context, string json, int status = 200)
    {
        context.Response.StatusCode = status;
        context.Response.ContentType = "application/json";
        await context.Response.WriteAsync(json);
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }

    private async Task HandleAsync(HttpContext context)
    {
        var key = Key(context.Request.Method, context.Request.Path.Value ?? string.Empty);
        var streamed = _streamedRoutes.TryGetValue(key, out var value) && value;
        var body = string.Empty;
        if (!streamed)
        {
            using var reader = new StreamReader(context.Request.Body, Encoding.UTF8);
            body = await reader.ReadToEndAsync(context.RequestAborted);
        }

        var headers = context.Request.Headers.ToDictionary(h => h.Key, h => h.Value.ToString(), StringComparer.OrdinalIgnoreCase);
        var request = new RecordedRequest(context.Request.Method, context.Request.Path.Value ?? string.Empty, context.Request.QueryString.Value ?? string.Empty, headers, body);
        _requests.Enqueue(request);
        if (_handlers.TryGetValue(key, out var handler))
        {
            await handler(context, request);
            return;
        }

        await WriteJsonAsync(context, $$"""{"error_code":"ENDPOINT_NOT_FOUND","message":"No handler for {{context.Request.Method}} {{context.Request.Path}}"}""", 404);
    }

    private static string Key(string method, string path) => $"{method.ToUpperInvariant()} {path}";
}
