using System.Text;
using k8s;
using Platform.Operator.Api;
using Platform.Operator.Database;
using Platform.Operator.Reconciliation;
using Platform.Operator.Tests.Support;
using Platform.Testing.Kubernetes;

namespace Platform.Operator.Tests.Reconciliation;

public sealed class SecretReconcilerTests
{
    [Fact]
    public async Task Reconcile_CreatesOwnedSecrets()
    {
        await using var server = await KubernetesTestServer.StartAsync();
        using var client = server.CreateClient();
        var options = TestOptions.Create();
        var reconciler = new SecretReconciler(client, new PostgresTenantDatabase(options), options);
        var context = new TenantContext(TestTenants.Build("alice"));

        await reconciler.ReconcileAsync(context, CancellationToken.None);

        var database = await client.CoreV1.ReadNamespacedSecretAsync("tracking-alice-db", "default");
        var token = await client.CoreV1.ReadNamespacedSecretAsync("tracking-alice-token", "default");
        Assert.Equal(context.DatabasePassword, Encoding.UTF8.GetString(database.Data["password"]));
        Assert.Equal(32, context.DatabasePassword!.Length);
        Assert.Equal("tenant_alice", Encoding.UTF8.GetString(database.Data["username"]));
        Assert.StartsWith("postgresql://tenant_alice:", Encoding.UTF8.GetString(database.Data["backend-store-uri"]));
        Assert.EndsWith("?schema=tenant_alice", Encoding.UTF8.GetString(database.Data["backend-store-uri"]));
        Assert.Equal(48, token.Data["token"].Length);
        Assert.Equal("https://lab.example.org/u/alice", Encoding.UTF8.GetString(token.Data["tracking-uri"]));
        var owner = Assert.Single(database.Metadata.OwnerReferences);
        Assert.True(owner.Controller);
        Assert.Equal(context.Resource.Metadata.Uid, owner.Uid);
        Assert.Equal(TrackingServerApi.ManagedBy, database.Metadata.Labels["app.kubernetes.io/managed-by"]);
    }

    [Fact]
    public async Task Reconcile_KeepsPasswordAndToken()
    {
        await using var server = await KubernetesTestServer.StartAsync();
        using var client = server.CreateClient();
        var options = TestOptions.Create();
        var reconciler = new SecretReconciler(client, new PostgresTenantDatabase(options), options);
        var resource = TestTenants.Build("alice");
        var first = new TenantContext(resource);
        await reconciler.ReconcileAsync(first, CancellationToken.None);
        var tokenBefore = await client.CoreV1.ReadNamespacedSecretAsync("tracking-alice-token", "default");

        var second = new TenantContext(resource);
        await reconciler.ReconcileAsync(second, CancellationToken.None);

        var tokenAfter = await client.CoreV1.ReadNamespacedSecretAsync("tracking-alice-token", "default");
        Assert.Equal(first.DatabasePassword, second.DatabasePassword);
        Assert.Equal(tokenBefore.Data["token"], tokenAfter.Data["token"]);
        Assert.Equal(tokenBefore.Metadata.ResourceVersion, tokenAfter.Metadata.ResourceVersion);
    }

    [Fact]
    public async Task Reconcile_RestoresEditedSecret()
    {
        await using var server = await KubernetesTestServer.StartAsync();
        using var client = server.CreateClient();
        var options = TestOptions.Create();
        var reconciler = new SecretReconciler(client, new PostgresTenantDatabase(options), options);
        var resource = TestTenants.Build("alice");
        var context = new TenantContext(resource);
        await reconciler.ReconcileAsync(context, CancellationToken.None);
        var edited = await client.CoreV1.ReadNamespacedSecretAsync("tracking-alice-db", "default");
        edited.Data["schema"] = Encoding.UTF8.GetBytes("tenant_mallory");
        edited.Metadata.Annotations.Remove(TrackingServerApi.DesiredHashAnnotation);
        await client.CoreV1.ReplaceNamespacedSecretAsync(edited, "tracking-alice-db", "default");

        await reconciler.ReconcileAsync(new TenantContext(resource), CancellationToken.None);

        var restored = await client.CoreV1.ReadNamespacedSecretAsync("tracking-alice-db", "default");
        Assert.Equal("tenant_alice", Encoding.UTF8.GetString(restored.Data["schema"]));
        Assert.Equal(context.DatabasePassword, Encoding.UTF8.GetString(restored.Data["password"]));
    }

    [Fact]
    public void GenerateSecret_UsesLettersAndDigits()
    {
        var secret = SecretReconciler.GenerateSecret(200);

        Assert.Equal(200, secret.Length);
        Assert.All(secret, c => Assert.True(char.IsAsciiLetterOrDigit(c), $"unexpected character '{c}'"));
    }
}
