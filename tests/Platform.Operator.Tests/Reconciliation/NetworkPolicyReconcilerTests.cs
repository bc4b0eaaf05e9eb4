using k8s;
using Platform.Operator.Reconciliation;
using Platform.Operator.Tests.Support;
using Platform.Testing.Kubernetes;

namespace Platform.Operator.Tests.Reconciliation;

public sealed class NetworkPolicyReconcilerTests
{
    [Fact]
    public async Task Reconcile_AdmitsOnlyGatewayPods()
    {
        await using var server = await KubernetesTestServer.StartAsync();
        using var client = server.CreateClient();
        var context = new TenantContext(TestTenants.Build("alice"));

        await new NetworkPolicyReconciler(client, TestOptions.Create()).ReconcileAsync(context, CancellationToken.None);

        var policy = await client.NetworkingV1.ReadNamespacedNetworkPolicyAsync("tracking-alice", "default");
        Assert.Equal(["Ingress"], policy.Spec.PolicyTypes);
        Assert.Equal("alice", policy.Spec.PodSelector.MatchLabels["app.kubernetes.io/instance"]);
        var rule = Assert.Single(policy.Spec.Ingress);
        var peer = Assert.Single(rule.FromProperty);
        Assert.Equal("lab-platform-gateway", peer.PodSelector.MatchLabels["app.kubernetes.io/name"]);
        Assert.Equal("lab-system", peer.NamespaceSelector.MatchLabels["kubernetes.io/metadata.name"]);
        Assert.Equal("5000", Assert.Single(rule.Ports).Port.Value);
    }
}
