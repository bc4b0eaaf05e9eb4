using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json.Nodes;
using k8s;
using k8s.Autorest;
using k8s.Models;
using Platform.Operator.Tests.Support;
using Platform.Testing.Kubernetes;

namespace Platform.Operator.Tests.TestServer;

/// <summary>The in-process API server's Kubernetes semantics, checked through the real KubernetesClient and raw HTTP.</summary>
public sealed class KubernetesTestServerTests
{
    [Fact]
    public async Task Replace_StaleResourceVersion_Conflicts()
    {
        await using var server = await KubernetesTestServer.StartAsync();
        using var client = server.CreateClient();
        var created = await client.CoreV1.CreateNamespacedSecretAsync(new V1Secret { Metadata = new V1ObjectMeta { Name = "s" } }, "default");
        created.StringData = null;
        created.Data = new Dictionary<string, byte[]> { ["k"] = [1] };
        await client.CoreV1.ReplaceNamespacedSecretAsync(created, "s", "default");

        created.Data = new Dictionary<string, byte[]> { ["k"] = [2] };
        var error = await Assert.ThrowsAsync<HttpOperationException>(() => client.CoreV1.ReplaceNamespacedSecretAsync(created, "s", "default"));

        Assert.Equal(HttpStatusCode.Conflict, error.Response.StatusCode);
        Assert.Contains("the object has been modified", error.Response.Content);
    }

    [Fact]
    public async Task Create_Existing_AlreadyExists()
    {
        await using var server = await KubernetesTestServer.StartAsync();
        using var client = server.CreateClient();
        await client.CoreV1.CreateNamespacedSecretAsync(new V1Secret { Metadata = new V1ObjectMeta { Name = "s" } }, "default");

        var error = await Assert.ThrowsAsync<HttpOperationException>(() => client.CoreV1.CreateNamespacedSecretAsync(new V1Secret { Metadata = new V1ObjectMeta { Name = "s" } }, "default"));

        Assert.Equal(HttpStatusCode.Conflict, error.Response.StatusCode);
        Assert.Contains("AlreadyExists", error.Response.Content);
    }

    [Fact]
    public async Task Generation_MovesOnSpecOnly()
    {
        await using var server = await KubernetesTestServer.StartAsync();
        using var client = server.CreateClient();
        var deployment = await client.AppsV1.CreateNamespacedDeploymentAsync(MinimalDeployment("web"), "default");

        var labelled = await client.AppsV1.PatchNamespacedDeploymentAsync(new V1Patch(new { metadata = new { labels = new { tier = "web" } } }, V1Patch.PatchType.MergePatch), "web", "default");
        var statusOnly = await client.AppsV1.PatchNamespacedDeploymentStatusAsync(new V1Patch(new { status = new { readyReplicas = 1 } }, V1Patch.PatchType.MergePatch), "web", "default");
        var scaled = await client.AppsV1.PatchNamespacedDeploymentAsync(new V1Patch(new { spec = new { replicas = 3 } }, V1Patch.PatchType.MergePatch), "web", "default");

        Assert.Equal(1, deployment.Metadata.Generation);
        Assert.Equal(1, labelled.Metadata.Generation);
        Assert.Equal(1, statusOnly.Metadata.Generation);
        Assert.Equal(1, statusOnly.Status.ReadyReplicas);
        Assert.Equal(2, scaled.Metadata.Generation);
        Assert.Equal(1, scaled.Status.ReadyReplicas);
    }

    [Fact]
    public async Task MainResource_IgnoresStatusChanges()
    {
        await using var server = await KubernetesTestServer.StartAsync();
        using var client = server.CreateClient();
        await client.AppsV1.CreateNamespacedDeploymentAsync(MinimalDeployment("web"), "default");

        var patched = await client.AppsV1.PatchNamespacedDeploymentAsync(new V1Patch(new { status = new { readyReplicas = 5 } }, V1Patch.PatchType.MergePatch), "web", "default");

        Assert.Null(patched.Status?.ReadyReplicas);
    }

    [Fact]
    public async Task Finalizer_HoldsDeletionUntilRemoved()
    {
        await using var server = await KubernetesTestServer.StartAsync();
        using var client = server.CreateClient();
        await client.CoreV1.CreateNamespacedSecretAsync(new V1Secret { Metadata = new V1ObjectMeta { Name = "s", Finalizers = ["example.org/hold"] } }, "default");

        await client.CoreV1.DeleteNamespacedSecretAsync("s", "default");
        var pending = await client.CoreV1.ReadNamespacedSecretAsync("s", "default");
        await client.CoreV1.PatchNamespacedSecretAsync(new V1Patch(new { metadata = new { finalizers = Array.Empty<string>() } }, V1Patch.PatchType.MergePatch), "s", "default");

        Assert.NotNull(pending.Metadata.DeletionTimestamp);
        Assert.Null(server.TryGet("", "v1", "secrets", "default", "s"));
    }

    [Fact]
    public async Task OwnerDeleted_CollectsDependents()
    {
        await using var server = await KubernetesTestServer.StartAsync();
        using var client = server.CreateClient();
        var owner = await client.CoreV1.CreateNamespacedSecretAsync(new V1Secret { Metadata = new V1ObjectMeta { Name = "owner" } }, "default");
        var reference = new V1OwnerReference { ApiVersion = "v1", Kind = "Secret", Name = "owner", Uid = owner.Metadata.Uid, Controller = true };
        await client.CoreV1.CreateNamespacedSecretAsync(new V1Secret { Metadata = new V1ObjectMeta { Name = "child", OwnerReferences = [reference] } }, "default");
        await client.CoreV1.CreateNamespacedSecretAsync(new V1Secret { Metadata = new V1ObjectMeta { Name = "unrelated" } }, "default");

        await client.CoreV1.DeleteNamespacedSecretAsync("owner", "default");

        Assert.Null(server.TryGet("", "v1", "secrets", "default", "child"));
        Assert.NotNull(server.TryGet("", "v1", "secrets", "default", "unrelated"));
    }

    [Fact]
    public async Task List_FiltersByLabelSelector()
    {
        await using var server = await KubernetesTestServer.StartAsync();
        using var client = server.CreateClient();
        foreach (var (name, tier) in new[] { ("a", "web"), ("b", "db"), ("c", "web") })
        {
            await client.CoreV1.CreateNamespacedSecretAsync(new V1Secret { Metadata = new V1ObjectMeta { Name = name, Labels = new Dictionary<string, string> { ["tier"] = tier } } }, "default");
        }

        var web = await client.CoreV1.ListNamespacedSecretAsync("default", labelSelector: "tier=web");
        var notWeb = await client.CoreV1.ListNamespacedSecretAsync("default", labelSelector: "tier!=web");
        var either = await client.CoreV1.ListNamespacedSecretAsync("default", labelSelector: "tier in (db, web)");
        var none = await client.CoreV1.ListNamespacedSecretAsync("default", labelSelector: "!tier");

        Assert.Equal(["a", "c"], web.Items.Select(s => s.Metadata.Name));
        Assert.Equal(["b"], notWeb.Items.Select(s => s.Metadata.Name));
        Assert.Equal(3, either.Items.Count);
        Assert.Empty(none.Items);
    }

    [Fact]
    public async Task AppliedCrd_IsServedWithTable()
    {
        await using var server = await CrdInstaller.StartServerWithCrdAsync();
        using var client = server.CreateClient();
        await TestTenants.CreateAsync(client, TestTenants.Build("alice"));
        using var http = new HttpClient { BaseAddress = new Uri(server.Url) };
        using var request = new HttpRequestMessage(HttpMethod.Get, "/apis/labplatform.io/v1alpha1/namespaces/default/trackingservers");
        request.Headers.Accept.ParseAdd("application/json;as=Table;g=meta.k8s.io;v=v1");

        var discovery = JsonNode.Parse(await http.GetStringAsync("/apis/labplatform.io/v1alpha1"))!;
        var table = JsonNode.Parse(await (await http.SendAsync(request)).Content.ReadAsStringAsync())!;

        var resource = discovery["resources"]!.AsArray().Single(r => (string?)r!["name"] == "trackingservers")!;
        Assert.Equal("ts", (string?)resource["shortNames"]![0]);
        Assert.Equal("Table", (string?)table["kind"]);
        Assert.Equal(["Name", "Owner", "Ready", "URL", "Reason", "Age"], table["columnDefinitions"]!.AsArray().Select(c => (string?)c!["name"]));
        var cells = table["rows"]![0]!["cells"]!.AsArray();
        Assert.Equal("alice", (string?)cells[0]);
        Assert.Equal("alice@example.org", (string?)cells[1]);
        Assert.Null(cells[2]);
    }

    [Fact]
    public async Task Watch_TooOldVersion_ReturnsGoneEvent()
    {
        await using var server = await KubernetesTestServer.StartAsync();
        server.Create("", "v1", "secrets", "default", new JsonObject { ["metadata"] = new JsonObject { ["name"] = "s" } });
        server.ExpireWatchHistory();
        using var http = new HttpClient { BaseAddress = new Uri(server.Url) };

        var body = await http.GetStringAsync("/api/v1/namespaces/default/secrets?watch=true&resourceVersion=2");

        var line = JsonNode.Parse(body.Trim())!;
        Assert.Equal("ERROR", (string?)line["type"]);
        Assert.Equal(410, (int?)line["object"]!["code"]);
        Assert.Equal("Expired", (string?)line["object"]!["reason"]);
    }

    [Fact]
    public async Task Patch_UnsupportedType_Rejected()
    {
        await using var server = await KubernetesTestServer.StartAsync();
        server.Create("", "v1", "secrets", "default", new JsonObject { ["metadata"] = new JsonObject { ["name"] = "s" } });
        using var http = new HttpClient { BaseAddress = new Uri(server.Url) };
        using var content = new StringContent("[]", Encoding.UTF8);
        content.Headers.ContentType = new MediaTypeHeaderValue("application/json-patch+json");

        var response = await http.PatchAsync("/api/v1/namespaces/default/secrets/s", content);

        Assert.Equal(HttpStatusCode.UnsupportedMediaType, response.StatusCode);
        Assert.Contains("use application/merge-patch+json", await response.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task Get_UnknownResource_NotFound()
    {
        await using var server = await KubernetesTestServer.StartAsync();
        using var http = new HttpClient { BaseAddress = new Uri(server.Url) };

        var response = await http.GetAsync("/apis/example.io/v1/widgets");

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.Contains("resource 'widgets' in 'example.io/v1'", await response.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task List_InvalidLabelSelector_BadRequest()
    {
        await using var server = await KubernetesTestServer.StartAsync();
        using var http = new HttpClient { BaseAddress = new Uri(server.Url) };

        var response = await http.GetAsync("/api/v1/namespaces/default/secrets?labelSelector=tier%20in%20web");

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains("the value set needs parentheses", await response.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task CelRule_KeepsOwnerImmutable()
    {
        await using var server = await CrdInstaller.StartServerWithCrdAsync();
        using var client = server.CreateClient();
        await TestTenants.CreateAsync(client, TestTenants.Build("alice"));
        var ownerPatch = new V1Patch(new { spec = new { owner = "mallory@example.org" } }, V1Patch.PatchType.MergePatch);
        var collaboratorPatch = new V1Patch(new { spec = new { collaborators = new[] { "carol@example.org" } } }, V1Patch.PatchType.MergePatch);

        var error = await Assert.ThrowsAsync<HttpOperationException>(() => client.CustomObjects.PatchNamespacedCustomObjectAsync(
            ownerPatch, "labplatform.io", "v1alpha1", "default", "trackingservers", "alice"));
        await client.CustomObjects.PatchNamespacedCustomObjectAsync(collaboratorPatch, "labplatform.io", "v1alpha1", "default", "trackingservers", "alice");

        Assert.Equal((HttpStatusCode)422, error.Response.StatusCode);
        Assert.Equal(
            "TrackingServer.labplatform.io \"alice\" is invalid: spec: Invalid value: \"object\": spec.owner is immutable; create a new TrackingServer for a different owner",
            (string?)JsonNode.Parse(error.Response.Content)!["message"]);
        var stored = (await TestTenants.GetAsync(client, "default", "alice"))!;
        Assert.Equal("alice@example.org", stored.Spec.Owner);
        Assert.Equal(["carol@example.org"], stored.Spec.Collaborators);
    }

    [Fact]
    public async Task CelRule_LimitsNameLength()
    {
        await using var server = await CrdInstaller.StartServerWithCrdAsync();
        using var client = server.CreateClient();

        var error = await Assert.ThrowsAsync<HttpOperationException>(() => TestTenants.CreateAsync(client, TestTenants.Build(new string('a', 55))));

        Assert.Equal((HttpStatusCode)422, error.Response.StatusCode);
        Assert.Contains("metadata.name must be at most 54 characters", error.Response.Content);
        await TestTenants.CreateAsync(client, TestTenants.Build(new string('a', 54)));
    }

    [Fact]
    public async Task Crd_MissingNames_Invalid()
    {
        await using var server = await KubernetesTestServer.StartAsync();
        using var http = new HttpClient { BaseAddress = new Uri(server.Url) };
        using var content = new StringContent("""{"metadata":{"name":"widgets.example.io"},"spec":{"group":"example.io"}}""", Encoding.UTF8, "application/json");

        var response = await http.PostAsync("/apis/apiextensions.k8s.io/v1/customresourcedefinitions", content);

        Assert.Equal((HttpStatusCode)422, response.StatusCode);
        var status = JsonNode.Parse(await response.Content.ReadAsStringAsync())!;
        Assert.Equal("CustomResourceDefinition \"widgets.example.io\" is invalid: spec.names is missing; add it and apply again.", (string?)status["message"]);
    }

    private static V1Deployment MinimalDeployment(string name) => new()
    {
        Metadata = new V1ObjectMeta { Name = name },
        Spec = new V1DeploymentSpec
        {
            Replicas = 1,
            Selector = new V1LabelSelector { MatchLabels = new Dictionary<string, string> { ["app"] = name } },
            Template = new V1PodTemplateSpec
            {
                Metadata = new V1ObjectMeta { Labels = new Dictionary<string, string> { ["app"] = name } },
                Spec = new V1PodSpec { Containers = [new V1Container { Name = "c", Image = "busybox" }] },
            },
        },
    };
}
