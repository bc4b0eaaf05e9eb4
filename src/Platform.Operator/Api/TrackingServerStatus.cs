using System.ComponentModel;
using System.Text.Json.Serialization;
using k8s.Models;

namespace Platform.Operator.Api;

/// <summary>Observed state of a tenant, written by the operator through the status subresource.</summary>
public sealed class TrackingServerStatus
{
    [JsonPropertyName("conditions")]
    [Description("Ready, DatabaseReady, StorageReady and Available, each with the generation it was computed from.")]
    public IList<V1Condition>? Conditions { get; set; }

    [JsonPropertyName("url")]
    [Description("Address of the tenant through the gateway.")]
    public string? Url { get; set; }

    [JsonPropertyName("serviceEndpoint")]
    [Description("In-cluster address of the tenant's Service.")]
    public string? ServiceEndpoint { get; set; }

    [JsonPropertyName("databaseSchema")]
    [Description("PostgreSQL schema that holds the tenant's metadata.")]
    public string? DatabaseSchema { get; set; }

    [JsonPropertyName("bucketPrefix")]
    [Description("Object prefix in the artifact bucket, for example tenants/alice/.")]
    public string? BucketPrefix { get; set; }

    [JsonPropertyName("observedGeneration")]
    [Description("The metadata.generation that the status describes.")]
    public long? ObservedGeneration { get; set; }
}
