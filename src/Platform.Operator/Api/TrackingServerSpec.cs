using System.ComponentModel;
using System.Text.Json.Serialization;
using k8s.Models;
using Platform.Operator.Crd;

namespace Platform.Operator.Api;

/// <summary>Desired state of one tenant's tracking server.</summary>
public sealed class TrackingServerSpec
{
    [JsonPropertyName("owner")]
    [Description("Email of the researcher who owns the tenant. Immutable after creation.")]
    [SchemaRequired]
    [SchemaPattern(EmailPattern.Value)]
    public string Owner { get; set; } = "";

    [JsonPropertyName("collaborators")]
    [Description("Emails of researchers who may also use the tenant through the gateway.")]
    [SchemaItemsPattern(EmailPattern.Value)]
    public IList<string>? Collaborators { get; set; }

    [JsonPropertyName("image")]
    [Description("Tracking server image; when empty the operator's default image is used.")]
    public string? Image { get; set; }

    [JsonPropertyName("resources")]
    [Description("CPU and memory requests and limits; each key given here overrides the operator's default.")]
    public V1ResourceRequirements? Resources { get; set; }

    [JsonPropertyName("suspend")]
    [Description("When true the Deployment is scaled to zero replicas; data is kept.")]
    public bool? Suspend { get; set; }

    [JsonPropertyName("deletionPolicy")]
    [Description("Retain keeps the schema, role and bucket prefix on deletion; Delete removes them.")]
    [SchemaDefault("Retain")]
    public DeletionPolicy? DeletionPolicy { get; set; }
}
