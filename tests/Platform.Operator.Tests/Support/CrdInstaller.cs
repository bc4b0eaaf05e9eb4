using System.Text.Json.Nodes;
using k8s;
using Platform.Operator.Crd;
using Platform.Testing.Kubernetes;

namespace Platform.Operator.Tests.Support;

/// <summary>Registers the generated TrackingServer CRD on a test API server, as <c>kubectl apply</c> would.</summary>
internal static class CrdInstaller
{
    public static void Install(KubernetesTestServer server)
    {
        var json = KubernetesJson.Serialize(CrdGenerator.Build());
        server.Create("apiextensions.k8s.io", "v1", "customresourcedefinitions", null, JsonNode.Parse(json)!.AsObject());
    }

    public static async Task<KubernetesTestServer> StartServerWithCrdAsync(KubernetesTestServerOptions? options = null)
    {
        var server = await KubernetesTestServer.StartAsync(options);
        Install(server);
        return server;
    }
}
