using System.Text.Json.Serialization;
using k8s;
using k8s.Models;

namespace Platform.Operator.Api;

/// <summary>A list of TrackingServers as the API returns it.</summary>
public sealed class TrackingServerList : IKubernetesObject<V1ListMeta>, IItems<TrackingServer>
{
    [JsonPropertyName("apiVersion")]
    public string ApiVersion { get; set; } = TrackingServerApi.ApiVersion;

    [JsonPropertyName("kind")]
    public string Kind { get; set; } = TrackingServerApi.Kind + "List";

    [JsonPropertyName("metadata")]
    public V1ListMeta Metadata { get; set; } = new();

    [JsonPropertyName("items")]
    public IList<TrackingServer> Items { get; set; } = [];
}
