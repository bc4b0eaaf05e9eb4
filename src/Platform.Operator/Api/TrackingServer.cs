using System.Text.Json.Serialization;
using k8s;
using k8s.Models;

namespace Platform.Operator.Api;

/// <summary>The <c>TrackingServer</c> custom resource: one tenant's MLflow-compatible tracking server.</summary>
public sealed class TrackingServer : IKubernetesObject<V1ObjectMeta>, ISpec<TrackingServerSpec>, IStatus<TrackingServerStatus?>
{
    [JsonPropertyName("apiVersion")]
    public string ApiVersion { get; set; } = TrackingServerApi.ApiVersion;

    [JsonPropertyName("kind")]
    public string Kind { get; set; } = TrackingServerApi.Kind;

    [JsonPropertyName("metadata")]
    public V1ObjectMeta Metadata { get; set; } = new();

    [JsonPropertyName("spec")]
    public TrackingServerSpec Spec { get; set; } = new();

    [JsonPropertyName("status")]
    public TrackingServerStatus? Status { get; set; }
}
