using System.Collections.Concurrent;
using System.Net;
using System.Text.Json.Nodes;
using k8s;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Platform.Testing.Kubernetes;

/// <summary>
/// A Kubernetes API server in the test process: real Kestrel on 127.0.0.1 over plain HTTP, real REST
/// paths, discovery, watches, the status subresource, finalizers, owner-reference garbage collection and
/// CRDs registered when applied. Point KubernetesClient or kubectl at <see cref="Url"/>.
/// </summary>
/// <remarks>
/// NOTE: little admission runs. OpenAPI schemas in a CRD are stored but not enforced, and of its CEL rules
/// only the two forms that <see cref="ValidationRule"/> names are evaluated. Namespaces are not required
/// to exist, and no pods or ReplicaSets exist:
/// Deployments become ready only through <see cref="MarkDeploymentReady"/> or
/// <see cref="KubernetesTestServerOptions.ReadyDeploymentsAutomatically"/>.
/// </remarks>
public sealed class KubernetesTestServer : IAsyncDisposable
{
    private readonly WebApplication _app;
    private readonly ResourceRegistry _registry = new();
    private readonly ObjectStore _store;
    private readonly KubernetesTestServerOptions _options;
    private readonly ConcurrentQueue<string> _requests = new();

    private KubernetesTestServer(KubernetesTestServerOptions options)
    {
        _options = options;
        _store = new ObjectStore(_registry, options.TimeProvider, options.WatchHistoryCapacity) { AfterCommit = OnCommitted };
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseKestrel(k => k.Listen(IPAddress.Loopback, 0));
        _app = builder.Build();
        var handler = new ApiRequestHandler(_registry, _store, options, options.TimeProvider);
        _app.Run(async context =>
        {
            _requests.Enqueue($"{context.Request.Method} {context.Request.Path}{context.Request.QueryString}");
            await handler.HandleAsync(context);
        });
    }

    /// <summary>Base address, for example <c>http://127.0.0.1:40123</c>.</summary>
    public string Url { get; private set; } = "";

    /// <summary>Every request so far as "METHOD path?query", oldest first, for asserting what a client did.</summary>
    public IReadOnlyCollection<string> Requests => _requests;

    /// <summary>Starts a server on a free loopback port with the <c>default</c> namespace in it.</summary>
    public static async Task<KubernetesTestServer> StartAsync(KubernetesTestServerOptions? options = null, CancellationToken cancellationToken = default)
    {
        var server = new KubernetesTestServer(options ?? new KubernetesTestServerOptions());
        await server._app.StartAsync(cancellationToken);
        var addresses = server._app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!;
        server.Url = addresses.Addresses.First().Replace("[::1]", "127.0.0.1", StringComparison.Ordinal);
        server.Create("", "v1", "namespaces", null, new JsonObject { ["metadata"] = new JsonObject { ["name"] = "default" } });
        return server;
    }

    /// <summary>A KubernetesClient configuration that talks to this server.</summary>
    public KubernetesClientConfiguration ClientConfiguration => new() { Host = Url };

    /// <summary>Creates a KubernetesClient for this server; the caller disposes it.</summary>
    public k8s.Kubernetes CreateClient() => new(ClientConfiguration);

    /// <summary>Writes a kubeconfig that points kubectl at this server, with <c>default</c> as the namespace.</summary>
    public string WriteKubeconfig(string path)
    {
        var text = $"""
            apiVersion: v1
            kind: Config
            clusters:
            - name: test
              cluster:
                server: {Url}
            contexts:
            - name: test
              context:
                cluster: test
                user: test
                namespace: default
            current-context: test
            users:
            - name: test
              user:
                token: test-token
            """;
        File.WriteAllText(path, text);
        return path;
    }

    /// <summary>Stores an object directly, as if a client had POSTed it.</summary>
    public JsonObject Create(string group, string version, string plural, string? ns, JsonObject body) =>
        _store.Create(FindType(group, version, plural), ns, body);

    /// <summary>Returns a copy of a stored object, or null when it does not exist.</summary>
    public JsonObject? TryGet(string group, string version, string plural, string? ns, string name)
    {
        try
        {
            return _store.Get(FindType(group, version, plural), ns, name);
        }
        catch (KubernetesApiException ex) when (ex.Code == 404)
        {
            return null;
        }
    }

    /// <summary>Returns copies of the stored objects of a resource, in one namespace or (with null) all of them.</summary>
    public IReadOnlyList<JsonObject> List(string group, string version, string plural, string? ns = null) =>
        _store.List(FindType(group, version, plural), ns, LabelSelector.Everything, FieldSelector.Parse(null)).Items;

    /// <summary>Deletes an object as a client would (finalizers respected, dependents collected).</summary>
    public void Delete(string group, string version, string plural, string? ns, string name) =>
        _store.Delete(FindType(group, version, plural), ns, name);

    /// <summary>Reports every replica of a Deployment ready and available, as the kubelet and the Deployment controller would.</summary>
    public void MarkDeploymentReady(string ns, string name) =>
        _store.Update(FindType("apps", "v1", "deployments"), ns, name, ReadyStatus, statusOnly: true);

    /// <summary>Compacts the watch history, so a watch resumed from any earlier resourceVersion gets 410 Gone.</summary>
    public void ExpireWatchHistory() => _store.ExpireHistory();

    /// <summary>Ends every open watch stream; clients must reconnect.</summary>
    public void CloseAllWatches() => _store.CloseAllWatches();

    public async ValueTask DisposeAsync()
    {
        _store.CloseAllWatches();
        await _app.StopAsync();
        await _app.DisposeAsync();
    }

    private ResourceType FindType(string group, string version, string plural) =>
        _registry.Find(group, version, plural)
        ?? throw new ArgumentException($"Resource '{plural}' in '{group}/{version}' is not served; apply its CRD first.", nameof(plural));

    private void OnCommitted(ResourceType type, string eventType, JsonObject item)
    {
        if (type.Kind == "CustomResourceDefinition")
        {
            _registry.RegisterCustomResourceDefinition(item);
            _store.Update(type, null, (string)item["metadata"]!["name"]!, EstablishedStatus, statusOnly: true);
        }
        else if (type.Kind == "Deployment" && _options.ReadyDeploymentsAutomatically && eventType != "DELETED")
        {
            _store.Update(type, (string?)item["metadata"]!["namespace"], (string)item["metadata"]!["name"]!, ReadyStatus, statusOnly: true);
        }
    }

    private static JsonObject ReadyStatus(JsonObject deployment)
    {
        var replicas = JsonNumbers.ToInt64(deployment["spec"]?["replicas"]) ?? 1;
        deployment["status"] = new JsonObject
        {
            ["observedGeneration"] = deployment["metadata"]!["generation"]?.DeepClone(),
            ["replicas"] = replicas,
            ["updatedReplicas"] = replicas,
            ["readyReplicas"] = replicas,
            ["availableReplicas"] = replicas,
            ["conditions"] = new JsonArray(new JsonObject
            {
                ["type"] = "Available",
                ["status"] = "True",
                ["reason"] = "MinimumReplicasAvailable",
                ["message"] = "Deployment has minimum availability.",
            }),
        };
        deployment["metadata"]!.AsObject().Remove("resourceVersion");
        return deployment;
    }

    private static JsonObject EstablishedStatus(JsonObject crd)
    {
        crd["status"] = new JsonObject
        {
            ["conditions"] = new JsonArray(
                new JsonObject { ["type"] = "NamesAccepted", ["status"] = "True", ["reason"] = "NoConflicts", ["message"] = "no conflicts found" },
                new JsonObject { ["type"] = "Established", ["status"] = "True", ["reason"] = "InitialNamesAccepted", ["message"] = "the initial names have been accepted" }),
            ["acceptedNames"] = crd["spec"]?["names"]?.DeepClone(),
            ["storedVersions"] = new JsonArray((crd["spec"]?["versions"] as JsonArray ?? []).Select(v => (JsonNode?)(string?)v?["name"]).ToArray()),
        };
        crd["metadata"]!.AsObject().Remove("resourceVersion");
        return crd;
    }
}
