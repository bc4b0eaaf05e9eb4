using k8s;
using k8s.Models;
using Platform.Operator.Api;
using Platform.Operator.Reconciliation;
using Platform.Operator.Storage;
using Platform.Operator.Tests.Support;
using Platform.Testing.Kubernetes;

namespace Platform.Operator.Tests.Reconciliation;

public sealed class DeploymentReconcilerTests
{
    [Fact]
    public void Build_HardensPodAndPassesSingleTenantArgs()
    {
        var options = TestOptions.Create();
        var reconciler = new DeploymentReconciler(new k8s.Kubernetes(new KubernetesClientConfiguration { Host = "http://127.0.0.1:1" }), new NoOpTenantStorage(options), options);

        var deployment = reconciler.Build(new TenantContext(TestTenants.Build("alice")));

        var pod = deployment.Spec.Template.Spec;
        var container = Assert.Single(pod.Containers);
        Assert.Equal(1, deployment.Spec.Replicas);
        Assert.Equal("ghcr.io/labplatform/tracking:test", container.Image);
        Assert.Equal(
            ["--host", "0.0.0.0", "--port", "5000", "--backend-store-uri", "$(BACKEND_STORE_URI)", "--artifacts-destination", "gs://lab-artifacts/tenants/alice/"],
            container.Args);
        Assert.Equal("tracking-alice-db", container.Env.Single(e => e.Name == "BACKEND_STORE_URI").ValueFrom.SecretKeyRef.Name);
        Assert.True(pod.SecurityContext.RunAsNonRoot);
        Assert.Equal("RuntimeDefault", pod.SecurityContext.SeccompProfile.Type);
        Assert.False(container.SecurityContext.AllowPrivilegeEscalation);
        Assert.True(container.SecurityContext.ReadOnlyRootFilesystem);
        Assert.Equal(["ALL"], container.SecurityContext.Capabilities.Drop);
        Assert.Equal("/healthz", container.LivenessProbe.HttpGet.Path);
        Assert.Equal("/readyz", container.ReadinessProbe.HttpGet.Path);
        Assert.Equal("100m", container.Resources.Requests["cpu"].ToString());
        Assert.Equal("/tmp", Assert.Single(container.VolumeMounts).MountPath);
        Assert.Equal(deployment.Spec.Selector.MatchLabels, new Dictionary<string, string> { ["app.kubernetes.io/name"] = "tracking-server", ["app.kubernetes.io/instance"] = "alice" });
    }

    [Fact]
    public void Build_SuspendAndOverrides()
    {
        var options = TestOptions.Create();
        var reconciler = new DeploymentReconciler(new k8s.Kubernetes(new KubernetesClientConfiguration { Host = "http://127.0.0.1:1" }), new NoOpTenantStorage(options), options);
        var resource = TestTenants.Build("alice");
        var plain = reconciler.Build(new TenantContext(resource));
        resource.Spec.Suspend = true;
        resource.Spec.Image = "ghcr.io/labplatform/tracking:2.0";
        resource.Spec.Resources = new V1ResourceRequirements
        {
            Requests = new Dictionary<string, ResourceQuantity> { ["memory"] = new("2Gi") },
            Limits = new Dictionary<string, ResourceQuantity> { ["cpu"] = new("2") },
        };

        var changed = reconciler.Build(new TenantContext(resource));

        var container = changed.Spec.Template.Spec.Containers[0];
        Assert.Equal(0, changed.Spec.Replicas);
        Assert.Equal("ghcr.io/labplatform/tracking:2.0", container.Image);
        Assert.Equal("2Gi", container.Resources.Requests["memory"].ToString());
        Assert.Equal("100m", container.Resources.Requests["cpu"].ToString());
        Assert.Equal("2", container.Resources.Limits["cpu"].ToString());
        Assert.Equal("1Gi", container.Resources.Limits["memory"].ToString());
        Assert.NotEqual(
            plain.Spec.Template.Metadata.Annotations[TrackingServerApi.SpecHashAnnotation],
            changed.Spec.Template.Metadata.Annotations[TrackingServerApi.SpecHashAnnotation]);
    }

    [Fact]
    public async Task Reconcile_AvailableOnlyWhenReplicasReady()
    {
        await using var server = await KubernetesTestServer.StartAsync();
        using var client = server.CreateClient();
        var options = TestOptions.Create();
        var reconciler = new DeploymentReconciler(client, new NoOpTenantStorage(options), options);
        var resource = TestTenants.Build("alice");

        var first = new TenantContext(resource);
        await reconciler.ReconcileAsync(first, CancellationToken.None);
        server.MarkDeploymentReady("default", "tracking-alice");
        var second = new TenantContext(resource);
        await reconciler.ReconcileAsync(second, CancellationToken.None);

        Assert.False(first.Observations[ConditionTypes.Available].Ready);
        Assert.Equal("ReplicasNotReady", first.Observations[ConditionTypes.Available].Reason);
        Assert.True(second.Observations[ConditionTypes.Available].Ready);
        Assert.Equal("1 of 1 replicas are ready.", second.Observations[ConditionTypes.Available].Message);
    }

    [Fact]
    public async Task Reconcile_SpecChangeReplacesDeployment()
    {
        await using var server = await KubernetesTestServer.StartAsync();
        using var client = server.CreateClient();
        var options = TestOptions.Create();
        var reconciler = new DeploymentReconciler(client, new NoOpTenantStorage(options), options);
        var resource = TestTenants.Build("alice");
        await reconciler.ReconcileAsync(new TenantContext(resource), CancellationToken.None);
        var before = await client.AppsV1.ReadNamespacedDeploymentAsync("tracking-alice", "default");
        await reconciler.ReconcileAsync(new TenantContext(resource), CancellationToken.None);
        var unchanged = await client.AppsV1.ReadNamespacedDeploymentAsync("tracking-alice", "default");

        resource.Spec.Suspend = true;
        var context = new TenantContext(resource);
        await reconciler.ReconcileAsync(context, CancellationToken.None);

        var after = await client.AppsV1.ReadNamespacedDeploymentAsync("tracking-alice", "default");
        Assert.Equal(before.Metadata.ResourceVersion, unchanged.Metadata.ResourceVersion);
        Assert.Equal(0, after.Spec.Replicas);
        Assert.Equal(2, after.Metadata.Generation);
        Assert.Equal("Suspended", context.Observations[ConditionTypes.Available].Reason);
    }
}
