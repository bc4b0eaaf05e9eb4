using k8s;
using Platform.Operator.Reconciliation;
using Platform.Operator.Tests.Support;
using Platform.Testing.Kubernetes;

namespace Platform.Operator.Tests.Reconciliation;

public sealed class ServiceReconcilerTests
{
    [Fact]
    public async Task Reconcile_CreatesClusterIpService()
    {
        await using var server = await KubernetesTestServer.StartAsync();
        using var client = server.CreateClient();
        var context = new TenantContext(TestTenants.Build("alice"));

        await new ServiceReconciler(client).ReconcileAsync(context, CancellationToken.None);

        var service = await client.CoreV1.ReadNamespacedServiceAsync("tracking-alice", "default");
        var port = Assert.Single(service.Spec.Ports);
        Assert.Equal(80, port.Port);
        Assert.Equal("http", port.TargetPort.Value);
        Assert.Equal("alice", service.Spec.Selector["app.kubernetes.io/instance"]);
        Assert.Equal(context.Resource.Metadata.Uid, Assert.Single(service.Metadata.OwnerReferences).Uid);
        Assert.Equal("http://tracking-alice.default.svc.cluster.local:80", ServiceReconciler.Endpoint(context));
    }

    [Fact]
    public async Task Reconcile_KeepsAllocatedClusterIp()
    {
        await using var server = await KubernetesTestServer.StartAsync();
        using var client = server.CreateClient();
        var context = new TenantContext(TestTenants.Build("alice"));
        var reconciler = new ServiceReconciler(client);
        await reconciler.ReconcileAsync(context, CancellationToken.None);

        // Play the API server: allocate an address, and drop the hash so the next reconcile replaces the Service.
        var stored = await client.CoreV1.ReadNamespacedServiceAsync("tracking-alice", "default");
        stored.Spec.ClusterIP = "10.96.0.42";
        stored.Metadata.Annotations.Clear();
        await client.CoreV1.ReplaceNamespacedServiceAsync(stored, "tracking-alice", "default");

        await reconciler.ReconcileAsync(context, CancellationToken.None);

        var after = await client.CoreV1.ReadNamespacedServiceAsync("tracking-alice", "default");
        Assert.Equal("10.96.0.42", after.Spec.ClusterIP);
        Assert.Contains(Platform.Operator.Api.TrackingServerApi.DesiredHashAnnotation, after.Metadata.Annotations.Keys);
    }
}
