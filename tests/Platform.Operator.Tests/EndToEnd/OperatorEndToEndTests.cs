using System.Text.Json.Nodes;
using k8s;
using k8s.Models;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;
using Platform.Operator.Api;
using Platform.Operator.Database;
using Platform.Operator.Tests.Support;
using Platform.Testing;
using Platform.Testing.Kubernetes;

namespace Platform.Operator.Tests.EndToEnd;

/// <summary>The whole operator host against the test API server, the test PostgreSQL and a local folder bucket.</summary>
public sealed class OperatorEndToEndTests : IAsyncLifetime
{
    private readonly string _storageRoot = Path.Combine(Path.GetTempPath(), "operator-e2e-" + Guid.NewGuid().ToString("N"));
    private readonly List<string> _tenants = [];
    private string _database = "";

    public async Task InitializeAsync()
    {
        _database = await TestPostgres.CreateDatabaseAsync("operator_e2e");
        Directory.CreateDirectory(_storageRoot);
    }

    public async Task DisposeAsync()
    {
        // Roles belong to the whole PostgreSQL server, not to this test's database, so drop them explicitly.
        await using var database = new PostgresTenantDatabase(Microsoft.Extensions.Options.Options.Create(new Platform.Operator.Hosting.OperatorOptions { AdminConnectionString = _database }));
        foreach (var name in _tenants)
        {
            await database.DropAsync(TenantDatabaseNames.ForTenant(name), CancellationToken.None);
        }

        Directory.Delete(_storageRoot, recursive: true);
    }

    [Fact]
    public async Task Create_BecomesReadyWithUrl()
    {
        await using var server = await CrdInstaller.StartServerWithCrdAsync();
        await using var op = await OperatorProcess.StartAsync(server, _database, _storageRoot);
        using var client = server.CreateClient();
        var name = NewTenantName();

        await TestTenants.CreateAsync(client, TestTenants.Build(name));
        var waiting = await Eventually.WaitAsync(
            async () => await TestTenants.GetAsync(client, "default", name) is { Status.Conditions: { } c } ts && c.Any(x => x.Type == "Available" && x.Reason == "ReplicasNotReady") ? ts : null,
            "Available=False while the Deployment has no ready replicas");
        Assert.False(TestTenants.IsReady(waiting));

        server.MarkDeploymentReady("default", $"tracking-{name}");
        var ready = await Eventually.WaitAsync(
            async () => await TestTenants.GetAsync(client, "default", name) is { } ts && TestTenants.IsReady(ts) ? ts : null,
            "Ready=True");

        Assert.Equal($"{OperatorProcess.GatewayBaseUrl}/u/{name}", ready.Status!.Url);
        Assert.Equal($"tenant_{name}", ready.Status.DatabaseSchema);
        Assert.Equal($"tenants/{name}/", ready.Status.BucketPrefix);
        Assert.Equal($"http://tracking-{name}.default.svc.cluster.local:80", ready.Status.ServiceEndpoint);
        Assert.Equal(ready.Metadata.Generation, ready.Status.ObservedGeneration);
        Assert.Contains(TrackingServerApi.Finalizer, ready.Metadata.Finalizers);
        foreach (var type in new[] { "Ready", "DatabaseReady", "StorageReady", "Available" })
        {
            Assert.Equal("True", ready.Status.Conditions!.Single(c => c.Type == type).Status);
        }

        Assert.NotNull(server.TryGet("", "v1", "secrets", "default", $"tracking-{name}-db"));
        Assert.NotNull(server.TryGet("", "v1", "secrets", "default", $"tracking-{name}-token"));
        Assert.NotNull(server.TryGet("", "v1", "services", "default", $"tracking-{name}"));
        Assert.NotNull(server.TryGet("networking.k8s.io", "v1", "networkpolicies", "default", $"tracking-{name}"));
        Assert.Contains(server.List("", "v1", "events", "default"), e => (string?)e["reason"] == "Ready" && (string?)e["involvedObject"]?["name"] == name);
    }

    [Fact]
    public async Task SpecChange_RollsDeployment()
    {
        await using var server = await CrdInstaller.StartServerWithCrdAsync(new KubernetesTestServerOptions { ReadyDeploymentsAutomatically = true });
        await using var op = await OperatorProcess.StartAsync(server, _database, _storageRoot);
        using var client = server.CreateClient();
        var name = NewTenantName();
        await TestTenants.CreateAsync(client, TestTenants.Build(name));
        await WaitReadyAsync(client, name);
        var before = await client.AppsV1.ReadNamespacedDeploymentAsync($"tracking-{name}", "default");
        var hashBefore = before.Spec.Template.Metadata.Annotations[TrackingServerApi.SpecHashAnnotation];

        var patch = new V1Patch(new { spec = new { image = "ghcr.io/labplatform/tracking:2.0" } }, V1Patch.PatchType.MergePatch);
        await client.CustomObjects.PatchNamespacedCustomObjectAsync(patch, TrackingServerApi.Group, TrackingServerApi.Version, "default", TrackingServerApi.Plural, name);

        var after = await Eventually.WaitAsync(
            async () => await client.AppsV1.ReadNamespacedDeploymentAsync($"tracking-{name}", "default") is { } d && d.Spec.Template.Spec.Containers[0].Image == "ghcr.io/labplatform/tracking:2.0" ? d : null,
            "the Deployment to run the new image");
        Assert.NotEqual(hashBefore, after.Spec.Template.Metadata.Annotations[TrackingServerApi.SpecHashAnnotation]);
        Assert.True(after.Metadata.Generation > before.Metadata.Generation);
        var ready = await WaitReadyAsync(client, name);
        Assert.Equal(2, ready.Status!.ObservedGeneration);
    }

    [Fact]
    public async Task OwnedObjectDeletedByHand_IsRecreated()
    {
        await using var server = await CrdInstaller.StartServerWithCrdAsync(new KubernetesTestServerOptions { ReadyDeploymentsAutomatically = true });
        await using var op = await OperatorProcess.StartAsync(server, _database, _storageRoot);
        using var client = server.CreateClient();
        var name = NewTenantName();
        await TestTenants.CreateAsync(client, TestTenants.Build(name));
        await WaitReadyAsync(client, name);
        var original = await client.CoreV1.ReadNamespacedServiceAsync($"tracking-{name}", "default");
        var originalPolicy = await client.NetworkingV1.ReadNamespacedNetworkPolicyAsync($"tracking-{name}", "default");

        await client.CoreV1.DeleteNamespacedServiceAsync($"tracking-{name}", "default");
        await client.NetworkingV1.DeleteNamespacedNetworkPolicyAsync($"tracking-{name}", "default");

        await Eventually.WaitAsync(
            () => server.TryGet("", "v1", "services", "default", $"tracking-{name}") is { } s && (string?)s["metadata"]!["uid"] != original.Metadata.Uid,
            "the Service to be recreated");
        await Eventually.WaitAsync(
            () => server.TryGet("networking.k8s.io", "v1", "networkpolicies", "default", $"tracking-{name}") is { } p && (string?)p["metadata"]!["uid"] != originalPolicy.Metadata.Uid,
            "the NetworkPolicy to be recreated");
    }

    [Fact]
    public async Task DeletePolicy_DropsSchemaAndPrefix()
    {
        await using var server = await CrdInstaller.StartServerWithCrdAsync(new KubernetesTestServerOptions { ReadyDeploymentsAutomatically = true });
        await using var op = await OperatorProcess.StartAsync(server, _database, _storageRoot);
        using var client = server.CreateClient();
        var name = NewTenantName();
        await TestTenants.CreateAsync(client, TestTenants.Build(name, policy: DeletionPolicy.Delete));
        await WaitReadyAsync(client, name);
        var artifact = Path.Combine(_storageRoot, "tenants", name, "1", "run", "artifacts", "model.bin");
        Directory.CreateDirectory(Path.GetDirectoryName(artifact)!);
        await File.WriteAllTextAsync(artifact, "weights");
        Assert.True(await SchemaExistsAsync($"tenant_{name}"));

        await client.CustomObjects.DeleteNamespacedCustomObjectAsync(TrackingServerApi.Group, TrackingServerApi.Version, "default", TrackingServerApi.Plural, name);

        await Eventually.WaitAsync(async () => await TestTenants.GetAsync(client, "default", name) is null, "the TrackingServer to be finalized and removed");
        Assert.False(await SchemaExistsAsync($"tenant_{name}"));
        Assert.False(await RoleExistsAsync($"tenant_{name}"));
        Assert.False(Directory.Exists(Path.Combine(_storageRoot, "tenants", name)));
        Assert.Null(server.TryGet("apps", "v1", "deployments", "default", $"tracking-{name}"));
        Assert.Null(server.TryGet("", "v1", "secrets", "default", $"tracking-{name}-db"));
        Assert.Contains(server.List("", "v1", "events", "default"), e => (string?)e["reason"] == "Deleted" && (string?)e["involvedObject"]?["name"] == name);
    }

    [Fact]
    public async Task RetainPolicy_KeepsSchemaWithEvent()
    {
        await using var server = await CrdInstaller.StartServerWithCrdAsync(new KubernetesTestServerOptions { ReadyDeploymentsAutomatically = true });
        await using var op = await OperatorProcess.StartAsync(server, _database, _storageRoot);
        using var client = server.CreateClient();
        var name = NewTenantName();
        await TestTenants.CreateAsync(client, TestTenants.Build(name));
        await WaitReadyAsync(client, name);

        await client.CustomObjects.DeleteNamespacedCustomObjectAsync(TrackingServerApi.Group, TrackingServerApi.Version, "default", TrackingServerApi.Plural, name);

        await Eventually.WaitAsync(async () => await TestTenants.GetAsync(client, "default", name) is null, "the TrackingServer to be finalized and removed");
        Assert.True(await SchemaExistsAsync($"tenant_{name}"));
        Assert.True(await RoleExistsAsync($"tenant_{name}"));
        Assert.True(Directory.Exists(Path.Combine(_storageRoot, "tenants", name)));
        var retained = Assert.Single(server.List("", "v1", "events", "default"), e => (string?)e["reason"] == "Retained");
        Assert.Contains($"tenant_{name}", (string?)retained["message"]);
        Assert.Equal(name, (string?)retained["involvedObject"]?["name"]);
    }

    [Fact]
    public async Task KilledMidReconcile_ConvergesAfterRestart()
    {
        await using var server = await CrdInstaller.StartServerWithCrdAsync(new KubernetesTestServerOptions { ReadyDeploymentsAutomatically = true });
        using var client = server.CreateClient();
        var name = NewTenantName();
        var hanging = new HangingTenantDatabase();
        var first = await OperatorProcess.StartAsync(server, _database, _storageRoot, identity: "operator-first",
            replaceServices: services => services.AddSingleton<ITenantDatabase>(hanging));
        await TestTenants.CreateAsync(client, TestTenants.Build(name));

        // The Secret step has run and the database step hangs: kill the operator right there.
        await hanging.Entered.Task.WaitAsync(TimeSpan.FromSeconds(20));
        Assert.NotNull(server.TryGet("", "v1", "secrets", "default", $"tracking-{name}-db"));
        Assert.Null(server.TryGet("apps", "v1", "deployments", "default", $"tracking-{name}"));
        await first.KillAsync();

        await using var second = await OperatorProcess.StartAsync(server, _database, _storageRoot, identity: "operator-second");
        var ready = await WaitReadyAsync(client, name, TimeSpan.FromSeconds(30));
        Assert.True(second.State.ReconcileCount > 0);
        Assert.True(await SchemaExistsAsync($"tenant_{name}"));
        Assert.NotNull(ready.Status!.Url);
    }

    [Fact]
    public async Task TwoReplicas_ExactlyOneReconciles()
    {
        await using var server = await CrdInstaller.StartServerWithCrdAsync(new KubernetesTestServerOptions { ReadyDeploymentsAutomatically = true });
        using var client = server.CreateClient();
        await using var a = await OperatorProcess.StartAsync(server, _database, _storageRoot, identity: "operator-a");
        await using var b = await OperatorProcess.StartAsync(server, _database, _storageRoot, identity: "operator-b");
        var names = Enumerable.Range(0, 3).Select(_ => NewTenantName()).ToList();
        foreach (var name in names)
        {
            await TestTenants.CreateAsync(client, TestTenants.Build(name));
        }

        foreach (var name in names)
        {
            await WaitReadyAsync(client, name);
        }

        Assert.True(a.State.IsLeader ^ b.State.IsLeader, $"exactly one leader expected; a: {a.State.IsLeader}, b: {b.State.IsLeader}");
        var (leader, standby) = a.State.IsLeader ? (a, b) : (b, a);
        Assert.True(leader.State.ReconcileCount >= names.Count);
        Assert.Equal(0, standby.State.ReconcileCount);
        var lease = await client.CoordinationV1.ReadNamespacedLeaseAsync("labplatform-operator", "default");
        Assert.Equal(leader.Identity, lease.Spec.HolderIdentity);
    }

    [Fact]
    public async Task LeaderKilled_StandbyTakesOver()
    {
        await using var server = await CrdInstaller.StartServerWithCrdAsync(new KubernetesTestServerOptions { ReadyDeploymentsAutomatically = true });
        using var client = server.CreateClient();
        var first = await OperatorProcess.StartAsync(server, _database, _storageRoot, identity: "operator-first");
        await Eventually.WaitAsync(() => first.State.IsLeader, "the first replica to lead");
        await using var standby = await OperatorProcess.StartAsync(server, _database, _storageRoot, identity: "operator-standby");

        await first.KillAsync();
        var name = NewTenantName();
        await TestTenants.CreateAsync(client, TestTenants.Build(name));

        await WaitReadyAsync(client, name, TimeSpan.FromSeconds(30));
        Assert.True(standby.State.IsLeader);
        Assert.True(standby.State.ReconcileCount > 0);
        var lease = await client.CoordinationV1.ReadNamespacedLeaseAsync("labplatform-operator", "default");
        Assert.Equal("operator-standby", lease.Spec.HolderIdentity);
    }

    [Fact]
    public async Task ProbesAndMetrics_Served()
    {
        await using var server = await CrdInstaller.StartServerWithCrdAsync(new KubernetesTestServerOptions { ReadyDeploymentsAutomatically = true });
        await using var op = await OperatorProcess.StartAsync(server, _database, _storageRoot);
        using var client = server.CreateClient();
        var name = NewTenantName();
        await TestTenants.CreateAsync(client, TestTenants.Build(name));
        await WaitReadyAsync(client, name);
        using var http = new HttpClient { BaseAddress = new Uri(op.HealthUrl) };

        var live = await http.GetAsync("/healthz");
        var ready = await http.GetAsync("/readyz");
        var metrics = await http.GetStringAsync("/metrics");

        Assert.Equal(System.Net.HttpStatusCode.OK, live.StatusCode);
        Assert.Equal(System.Net.HttpStatusCode.OK, ready.StatusCode);
        Assert.Contains("labplatform_operator_reconciles_total{", metrics);
        Assert.Contains("outcome=\"success\"", metrics);
    }

    private string NewTenantName()
    {
        var name = TestTenants.UniqueName();
        _tenants.Add(name);
        return name;
    }

    private static Task<TrackingServer> WaitReadyAsync(IKubernetes client, string name, TimeSpan? timeout = null) =>
        Eventually.WaitAsync(async () => await TestTenants.GetAsync(client, "default", name) is { } ts && TestTenants.IsReady(ts) ? ts : null, $"TrackingServer {name} to be Ready", timeout);

    private async Task<bool> SchemaExistsAsync(string schema) =>
        await ScalarAsync("SELECT count(*) FROM pg_namespace WHERE nspname = $1", schema) > 0;

    private async Task<bool> RoleExistsAsync(string role) =>
        await ScalarAsync("SELECT count(*) FROM pg_roles WHERE rolname = $1", role) > 0;

    private async Task<long> ScalarAsync(string sql, string value)
    {
        await using var connection = new NpgsqlConnection(_database);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(sql, connection);
        command.Parameters.Add(new NpgsqlParameter { Value = value });
        return (long)(await command.ExecuteScalarAsync())!;
    }
}
