using System.Collections.Concurrent;
using System.Text.Json.Nodes;
using k8s;
using k8s.Models;
using Microsoft.Extensions.Logging.Abstractions;
using Platform.Operator.Api;
using Platform.Operator.Controller;
using Platform.Operator.Tests.Support;
using Platform.Testing.Kubernetes;

namespace Platform.Operator.Tests.Controller;

public sealed class ResourceInformerTests
{
    [Fact]
    public async Task ListThenWatch_DeliversChanges()
    {
        await using var server = await KubernetesTestServer.StartAsync();
        CreateSecret(server, "before");
        using var client = server.CreateClient();
        var (informer, events) = SecretInformer(client);
        using var stop = new CancellationTokenSource();
        var run = informer.RunAsync(stop.Token);

        await informer.Synced.WaitAsync(TimeSpan.FromSeconds(10));
        Assert.True(informer.TryGet("default/before", out _));
        CreateSecret(server, "after");
        server.Delete("", "v1", "secrets", "default", "before");

        await Eventually.WaitAsync(() => events.Contains("Deleted default/before"), "the deletion to arrive");
        Assert.Contains("Added default/before", events);
        Assert.Contains("Added default/after", events);
        Assert.False(informer.TryGet("default/before", out _));
        Assert.Equal(1, informer.ListCount);
        await stop.CancelAsync();
        await run;
    }

    [Fact]
    public async Task WatchExpired_RelistsAndReportsMissedDeletes()
    {
        await using var server = await KubernetesTestServer.StartAsync();
        CreateSecret(server, "gone-while-away");
        using var client = server.CreateClient();
        using var watchGate = new SemaphoreSlim(1);
        var (informer, events) = SecretInformer(client, watchGate);
        using var stop = new CancellationTokenSource();
        var run = informer.RunAsync(stop.Token);
        await informer.Synced.WaitAsync(TimeSpan.FromSeconds(10));
        await Eventually.WaitAsync(() => watchGate.CurrentCount == 0, "the first watch to open");

        // Keep the informer disconnected while the Secret goes and the history is compacted past it.
        server.CloseAllWatches();
        server.Delete("", "v1", "secrets", "default", "gone-while-away");
        CreateSecret(server, "new");
        server.ExpireWatchHistory();
        watchGate.Release();

        await Eventually.WaitAsync(() => informer.TryGet("default/new", out _), "the informer to see the new Secret");
        await Eventually.WaitAsync(() => events.Contains("Deleted default/gone-while-away"), "the missed delete to be reported");
        Assert.Equal(2, informer.ListCount);
        Assert.Contains(server.Requests, r => r.Contains("watch=true", StringComparison.Ordinal) && r.Contains("resourceVersion=", StringComparison.Ordinal));
        await stop.CancelAsync();
        await run;
    }

    [Fact]
    public async Task Bookmarks_AdvanceResourceVersion()
    {
        await using var server = await KubernetesTestServer.StartAsync(new KubernetesTestServerOptions { BookmarkInterval = TimeSpan.FromMilliseconds(100) });
        using var client = server.CreateClient();
        var (informer, events) = SecretInformer(client);
        using var stop = new CancellationTokenSource();
        var run = informer.RunAsync(stop.Token);
        await informer.Synced.WaitAsync(TimeSpan.FromSeconds(10));
        var listed = long.Parse(informer.ResourceVersion!, System.Globalization.CultureInfo.InvariantCulture);

        // A Service moves the global resourceVersion without producing a Secret event; only a BOOKMARK can carry it.
        var service = server.Create("", "v1", "services", "default", new JsonObject { ["metadata"] = new JsonObject { ["name"] = "unrelated" } });
        var serviceVersion = long.Parse((string)service["metadata"]!["resourceVersion"]!, System.Globalization.CultureInfo.InvariantCulture);

        await Eventually.WaitAsync(
            () => long.Parse(informer.ResourceVersion!, System.Globalization.CultureInfo.InvariantCulture) >= serviceVersion,
            "a bookmark to move the resourceVersion");
        Assert.True(serviceVersion > listed);
        Assert.Empty(events);
        Assert.Contains(server.Requests, r => r.Contains("allowWatchBookmarks=true", StringComparison.Ordinal));
        await stop.CancelAsync();
        await run;
    }

    [Fact]
    public async Task OwnedKindInformer_CachesOwnerMetadataOnly()
    {
        await using var server = await KubernetesTestServer.StartAsync();
        server.Create("", "v1", "secrets", "default", new JsonObject
        {
            ["metadata"] = new JsonObject
            {
                ["name"] = "listed",
                ["labels"] = new JsonObject { ["app.kubernetes.io/managed-by"] = TrackingServerApi.ManagedBy },
                ["ownerReferences"] = new JsonArray(new JsonObject
                {
                    ["apiVersion"] = TrackingServerApi.ApiVersion,
                    ["kind"] = TrackingServerApi.Kind,
                    ["name"] = "owner",
                    ["uid"] = "owner-uid",
                    ["controller"] = true,
                }),
            },
            ["data"] = new JsonObject { ["password"] = "c2VjcmV0" },
        });
        using var client = server.CreateClient();
        var informer = InformerFactory.Secrets(client, "default", NullLogger.Instance);
        var events = new ConcurrentBag<V1Secret>();
        informer.Changed += (_, secret) => events.Add(secret);
        using var stop = new CancellationTokenSource();
        var run = informer.RunAsync(stop.Token);

        await informer.Synced.WaitAsync(TimeSpan.FromSeconds(10));
        Assert.True(informer.TryGet("default/listed", out var cached));
        Assert.NotNull(cached);
        Assert.Null(cached.Data);
        Assert.Null(cached.Metadata.Labels);
        Assert.NotNull(cached.Metadata.ResourceVersion);
        var owner = Assert.Single(cached.Metadata.OwnerReferences);
        Assert.Equal("owner", owner.Name);
        Assert.True(owner.Controller);

        server.Create("", "v1", "secrets", "default", new JsonObject
        {
            ["metadata"] = new JsonObject
            {
                ["name"] = "watched",
                ["labels"] = new JsonObject { ["app.kubernetes.io/managed-by"] = TrackingServerApi.ManagedBy },
            },
            ["data"] = new JsonObject { ["password"] = "c2VjcmV0" },
        });

        // Changed fires after the cache is updated, so waiting for the event covers both.
        await Eventually.WaitAsync(() => events.Count == 2, "the informer to report the watched Secret");
        Assert.True(informer.TryGet("default/watched", out var watched));
        Assert.Null(watched!.Data);
        Assert.All(events, e => Assert.Null(e.Data));

        await stop.CancelAsync();
        await run;
    }

    private static (ResourceInformer<V1Secret, V1SecretList> Informer, ConcurrentBag<string> Events) SecretInformer(IKubernetes client, SemaphoreSlim? watchGate = null)
    {
        var events = new ConcurrentBag<string>();
        var informer = new ResourceInformer<V1Secret, V1SecretList>(
            "secrets",
            ct => client.CoreV1.ListNamespacedSecretWithHttpMessagesAsync("default", cancellationToken: ct),
            (rv, onError, ct) => GatedAsync(watchGate, () => client.CoreV1.WatchListNamespacedSecretAsync("default", allowWatchBookmarks: true, resourceVersion: rv, onError: onError, cancellationToken: ct), ct),
            NullLogger.Instance,
            TimeSpan.FromMilliseconds(100));
        informer.Changed += (type, secret) => events.Add($"{type} default/{secret.Metadata.Name}");
        return (informer, events);
    }

    // Each watch takes the gate when it opens, so a test holding it keeps the informer disconnected.
    private static async IAsyncEnumerable<(WatchEventType Type, V1Secret Object)> GatedAsync(
        SemaphoreSlim? gate, Func<IAsyncEnumerable<(WatchEventType Type, V1Secret Object)>> open, [System.Runtime.CompilerServices.EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        if (gate is not null)
        {
            await gate.WaitAsync(cancellationToken);
        }

        await foreach (var item in open().WithCancellation(cancellationToken))
        {
            yield return item;
        }
    }

    private static void CreateSecret(KubernetesTestServer server, string name) =>
        server.Create("", "v1", "secrets", "default", new JsonObject { ["metadata"] = new JsonObject { ["name"] = name } });
}
