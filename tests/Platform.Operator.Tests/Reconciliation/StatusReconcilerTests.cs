using k8s;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;
using Platform.Operator.Api;
using Platform.Operator.Reconciliation;
using Platform.Operator.Tests.Support;
using Platform.Testing.Kubernetes;

namespace Platform.Operator.Tests.Reconciliation;

public sealed class StatusReconcilerTests
{
    [Fact]
    public async Task Reconcile_WritesConditionsAndReadyEvent()
    {
        await using var server = await CrdInstaller.StartServerWithCrdAsync();
        using var client = server.CreateClient();
        var resource = await TestTenants.CreateAsync(client, TestTenants.Build("alice"));
        var (reconciler, _) = Create(client);
        var context = ReadyContext(resource);

        await reconciler.ReconcileAsync(context, CancellationToken.None);

        var stored = (await TestTenants.GetAsync(client, "default", "alice"))!;
        Assert.True(TestTenants.IsReady(stored));
        Assert.Equal(4, stored.Status!.Conditions!.Count);
        Assert.All(stored.Status.Conditions, c => Assert.Equal(1, c.ObservedGeneration));
        Assert.Equal("https://lab.example.org/u/alice", stored.Status.Url);
        Assert.Equal("tenant_alice", stored.Status.DatabaseSchema);
        Assert.Equal("tenants/alice/", stored.Status.BucketPrefix);
        var readyEvent = Assert.Single(server.List("", "v1", "events", "default"));
        Assert.Equal("Ready", (string?)readyEvent["reason"]);
        Assert.Equal("Normal", (string?)readyEvent["type"]);
    }

    [Fact]
    public async Task Reconcile_UnchangedStatus_WritesNothing()
    {
        await using var server = await CrdInstaller.StartServerWithCrdAsync();
        using var client = server.CreateClient();
        var resource = await TestTenants.CreateAsync(client, TestTenants.Build("alice"));
        var (reconciler, time) = Create(client);
        await reconciler.ReconcileAsync(ReadyContext(resource), CancellationToken.None);
        var stored = (await TestTenants.GetAsync(client, "default", "alice"))!;
        time.Advance(TimeSpan.FromMinutes(5));

        await reconciler.ReconcileAsync(ReadyContext(stored), CancellationToken.None);

        var again = (await TestTenants.GetAsync(client, "default", "alice"))!;
        Assert.Equal(stored.Metadata.ResourceVersion, again.Metadata.ResourceVersion);
        Assert.Single(server.List("", "v1", "events", "default"));
    }

    [Fact]
    public async Task Build_KeepsTransitionTimeUntilStatusFlips()
    {
        await using var server = await CrdInstaller.StartServerWithCrdAsync();
        using var client = server.CreateClient();
        var (reconciler, time) = Create(client);
        var resource = TestTenants.Build("alice");
        var first = reconciler.Build(ReadyContext(resource), previous: null);
        time.Advance(TimeSpan.FromMinutes(3));

        var failing = ReadyContext(resource);
        failing.Observe(ConditionTypes.DatabaseReady, ready: false, "DatabaseFailed", "connection refused");
        var second = reconciler.Build(failing, first);

        var storageBefore = first.Conditions!.Single(c => c.Type == ConditionTypes.StorageReady);
        var storageAfter = second.Conditions!.Single(c => c.Type == ConditionTypes.StorageReady);
        var databaseAfter = second.Conditions!.Single(c => c.Type == ConditionTypes.DatabaseReady);
        var readyAfter = second.Conditions!.Single(c => c.Type == ConditionTypes.Ready);
        Assert.Equal(storageBefore.LastTransitionTime, storageAfter.LastTransitionTime);
        Assert.Equal(storageBefore.LastTransitionTime.AddMinutes(3), databaseAfter.LastTransitionTime);
        Assert.Equal("False", readyAfter.Status);
        Assert.Equal("DatabaseFailed", readyAfter.Reason);
        Assert.Equal("DatabaseReady is False: connection refused", readyAfter.Message);
    }

    [Fact]
    public void Build_MissingObservationIsReconciling()
    {
        var (reconciler, _) = Create(new k8s.Kubernetes(new KubernetesClientConfiguration { Host = "http://127.0.0.1:1" }));

        var status = reconciler.Build(new TenantContext(TestTenants.Build("alice")), previous: null);

        var ready = status.Conditions!.Single(c => c.Type == ConditionTypes.Ready);
        Assert.Equal("False", ready.Status);
        Assert.Equal("Reconciling", ready.Reason);
        Assert.Equal(["Ready", "DatabaseReady", "StorageReady", "Available"], status.Conditions!.Select(c => c.Type));
    }

    private static (StatusReconciler Reconciler, FakeTimeProvider Time) Create(IKubernetes client)
    {
        var time = new FakeTimeProvider(new DateTimeOffset(2026, 1, 1, 12, 0, 0, TimeSpan.Zero));
        var events = new EventRecorder(client, time, NullLogger<EventRecorder>.Instance);
        return (new StatusReconciler(client, events, time, TestOptions.Create()), time);
    }

    private static TenantContext ReadyContext(TrackingServer resource)
    {
        var context = new TenantContext(resource);
        context.Observe(ConditionTypes.DatabaseReady, ready: true, "SchemaReady", "ok");
        context.Observe(ConditionTypes.StorageReady, ready: true, "PrefixReady", "ok");
        context.Observe(ConditionTypes.Available, ready: true, "ReplicasReady", "1 of 1 replicas are ready.");
        return context;
    }
}
