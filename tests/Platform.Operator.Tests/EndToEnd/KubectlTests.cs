using Platform.Operator.Database;
using Platform.Operator.Hosting;
using Platform.Operator.Tests.Support;
using Platform.Testing;
using Platform.Testing.Kubernetes;

namespace Platform.Operator.Tests.EndToEnd;

/// <summary>The committed manifests through the real kubectl, against the test API server and a running operator.</summary>
public sealed class KubectlTests : IAsyncLifetime
{
    private readonly string _folder = Path.Combine(Path.GetTempPath(), "operator-kubectl-" + Guid.NewGuid().ToString("N"));
    private string _database = "";

    public async Task InitializeAsync()
    {
        Directory.CreateDirectory(_folder);
        _database = await TestPostgres.CreateDatabaseAsync("operator_kubectl");
    }

    public async Task DisposeAsync()
    {
        // The sample uses deletionPolicy Retain, and roles are shared across databases, so drop what it kept.
        var database = new PostgresTenantDatabase(Microsoft.Extensions.Options.Options.Create(new OperatorOptions { AdminConnectionString = _database }));
        await database.DropAsync(TenantDatabaseNames.ForTenant("alice"), CancellationToken.None);
        await database.DisposeAsync();
        Directory.Delete(_folder, recursive: true);
    }

    [Fact]
    public async Task ApplyGetWaitDelete_Sample()
    {
        await using var server = await KubernetesTestServer.StartAsync(new KubernetesTestServerOptions { ReadyDeploymentsAutomatically = true });
        var kubeconfig = server.WriteKubeconfig(Path.Combine(_folder, "kubeconfig"));
        var crd = Path.Combine(RepositoryPaths.Root, "manifests", "crds", "trackingservers.labplatform.io.yaml");
        var sample = Path.Combine(RepositoryPaths.Root, "manifests", "samples", "trackingserver.yaml");

        var applyCrd = await Kubectl.RunAsync(kubeconfig, "apply", "-f", crd);
        Assert.True(applyCrd.ExitCode == 0, applyCrd.Error);
        Assert.Contains("customresourcedefinition.apiextensions.k8s.io/trackingservers.labplatform.io created", applyCrd.Output);

        await using var op = await OperatorProcess.StartAsync(server, _database, _folder, leaseName: "kubectl-test");
        var applySample = await Kubectl.RunAsync(kubeconfig, "apply", "-f", sample);
        Assert.True(applySample.ExitCode == 0, applySample.Error);
        Assert.Contains("trackingserver.labplatform.io/alice created", applySample.Output);

        var wait = await Kubectl.RunAsync(kubeconfig, "wait", "--for=condition=Ready", "ts/alice", "--timeout=30s");
        Assert.True(wait.ExitCode == 0, wait.Error);
        Assert.Contains("trackingserver.labplatform.io/alice condition met", wait.Output);

        var get = await Kubectl.RunAsync(kubeconfig, "get", "ts");
        Assert.True(get.ExitCode == 0, get.Error);
        var lines = get.Output.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal(["NAME", "OWNER", "READY", "URL", "AGE"], lines[0].Split(' ', StringSplitOptions.RemoveEmptyEntries));
        var row = lines[1].Split(' ', StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal(["alice", "alice@example.org", "True", "https://lab.example.org/u/alice"], row[..4]);

        var wide = await Kubectl.RunAsync(kubeconfig, "get", "trackingservers", "-o", "wide");
        Assert.True(wide.ExitCode == 0, wide.Error);
        Assert.Contains("REASON", wide.Output);
        Assert.Contains(" Ready ", wide.Output);

        var byCategory = await Kubectl.RunAsync(kubeconfig, "get", "labplatform");
        Assert.True(byCategory.ExitCode == 0, byCategory.Error);
        Assert.Contains("alice@example.org", byCategory.Output);

        var changeOwner = await Kubectl.RunAsync(kubeconfig, "patch", "ts", "alice", "--type=merge", "-p", """{"spec":{"owner":"mallory@example.org"}}""");
        Assert.NotEqual(0, changeOwner.ExitCode);
        Assert.Contains("spec.owner is immutable", changeOwner.Error);

        var delete = await Kubectl.RunAsync(kubeconfig, "delete", "-f", sample, "--timeout=30s");
        Assert.True(delete.ExitCode == 0, delete.Error);
        Assert.Contains("trackingserver.labplatform.io \"alice\" deleted", delete.Output);
        Assert.Null(server.TryGet("labplatform.io", "v1alpha1", "trackingservers", "default", "alice"));
        Assert.Null(server.TryGet("apps", "v1", "deployments", "default", "tracking-alice"));
    }

    [Fact]
    public async Task Wait_TimesOutWhenNotReady()
    {
        await using var server = await KubernetesTestServer.StartAsync();
        var kubeconfig = server.WriteKubeconfig(Path.Combine(_folder, "kubeconfig"));
        await Kubectl.RunAsync(kubeconfig, "apply", "-f", Path.Combine(RepositoryPaths.Root, "manifests", "crds", "trackingservers.labplatform.io.yaml"));
        await Kubectl.RunAsync(kubeconfig, "apply", "-f", Path.Combine(RepositoryPaths.Root, "manifests", "samples", "trackingserver.yaml"));

        // No operator runs, so nothing ever sets Ready.
        var wait = await Kubectl.RunAsync(kubeconfig, "wait", "--for=condition=Ready", "ts/alice", "--timeout=1s");

        Assert.NotEqual(0, wait.ExitCode);
        Assert.Contains("timed out waiting for the condition", wait.Error);
    }
}
