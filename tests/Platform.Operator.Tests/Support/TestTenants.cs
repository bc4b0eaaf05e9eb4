using k8s;
using k8s.Models;
using Platform.Operator.Api;

namespace Platform.Operator.Tests.Support;

/// <summary>Builds TrackingServers with unique names, since PostgreSQL roles are shared by every database on the test server.</summary>
internal static class TestTenants
{
    public static string UniqueName(string prefix = "t") => $"{prefix}{Guid.NewGuid():N}"[..12];

    public static TrackingServer Build(string name, string ns = "default", DeletionPolicy? policy = null) => new()
    {
        Metadata = new V1ObjectMeta { Name = name, NamespaceProperty = ns, Uid = Guid.NewGuid().ToString(), Generation = 1 },
        Spec = new TrackingServerSpec
        {
            Owner = $"{name}@example.org",
            Collaborators = ["bob@example.org"],
            DeletionPolicy = policy,
        },
    };

    public static async Task<TrackingServer> CreateAsync(IKubernetes client, TrackingServer resource)
    {
        var body = new TrackingServer { Metadata = new V1ObjectMeta { Name = resource.Metadata.Name, NamespaceProperty = resource.Metadata.NamespaceProperty }, Spec = resource.Spec };
        var created = await client.CustomObjects.CreateNamespacedCustomObjectAsync(
            body, TrackingServerApi.Group, TrackingServerApi.Version, resource.Metadata.NamespaceProperty, TrackingServerApi.Plural);
        return KubernetesJson.Deserialize<TrackingServer>(KubernetesJson.Serialize(created));
    }

    public static async Task<TrackingServer?> GetAsync(IKubernetes client, string ns, string name)
    {
        try
        {
            var item = await client.CustomObjects.GetNamespacedCustomObjectAsync(TrackingServerApi.Group, TrackingServerApi.Version, ns, TrackingServerApi.Plural, name);
            return KubernetesJson.Deserialize<TrackingServer>(KubernetesJson.Serialize(item));
        }
        catch (k8s.Autorest.HttpOperationException ex) when (ex.Response.StatusCode == System.Net.HttpStatusCode.NotFound)
        {
            return null;
        }
    }

    public static bool IsReady(TrackingServer? resource) =>
        resource?.Status?.Conditions?.Any(c => c.Type == ConditionTypes.Ready && c.Status == "True" && c.ObservedGeneration == resource.Metadata.Generation) == true;
}
