using k8s;
using k8s.Models;
using Platform.Operator.Api;

namespace Platform.Operator.Crd;

/// <summary>
/// Builds the <c>trackingservers.labplatform.io</c> CustomResourceDefinition from the C# API types. The
/// committed <c>manifests/crds</c> file is this output; a test fails when the two differ.
/// </summary>
public static class CrdGenerator
{
    public const string Name = TrackingServerApi.Plural + "." + TrackingServerApi.Group;

    public static V1CustomResourceDefinition Build()
    {
        var spec = OpenApiSchemaBuilder.Build(typeof(TrackingServerSpec));
        spec.Description = "Desired state of one tenant's tracking server.";
        spec.XKubernetesValidations =
        [
            new V1ValidationRule
            {
                Rule = "self.owner == oldSelf.owner",
                Message = "spec.owner is immutable; create a new TrackingServer for a different owner",
            },
        ];

        var status = OpenApiSchemaBuilder.Build(typeof(TrackingServerStatus));
        status.Description = "Observed state, written by the operator.";
        ConfigureConditions(status.Properties["conditions"]);

        var root = new V1JSONSchemaProps
        {
            Type = "object",
            Description = "A tenant's MLflow-compatible tracking server with its own database schema, role and bucket prefix.",
            Required = ["spec"],

            // Owned objects are named tracking-<name>, and a Service name is a DNS label of at most 63 characters.
            XKubernetesValidations =
            [
                new V1ValidationRule
                {
                    Rule = "size(self.metadata.name) <= 54",
                    Message = "metadata.name must be at most 54 characters, so that tracking-<name> is a valid Service name",
                },
            ],
            Properties = new Dictionary<string, V1JSONSchemaProps>(StringComparer.Ordinal)
            {
                ["apiVersion"] = new() { Type = "string" },
                ["kind"] = new() { Type = "string" },
                ["metadata"] = new() { Type = "object" },
                ["spec"] = spec,
                ["status"] = status,
            },
        };

        return new V1CustomResourceDefinition
        {
            ApiVersion = "apiextensions.k8s.io/v1",
            Kind = "CustomResourceDefinition",
            Metadata = new V1ObjectMeta { Name = Name },
            Spec = new V1CustomResourceDefinitionSpec
            {
                Group = TrackingServerApi.Group,
                Scope = "Namespaced",
                Names = new V1CustomResourceDefinitionNames
                {
                    Kind = TrackingServerApi.Kind,
                    ListKind = TrackingServerApi.Kind + "List",
                    Plural = TrackingServerApi.Plural,
                    Singular = TrackingServerApi.Singular,
                    ShortNames = [TrackingServerApi.ShortName],
                    Categories = [TrackingServerApi.Category],
                },
                Versions =
                [
                    new V1CustomResourceDefinitionVersion
                    {
                        Name = TrackingServerApi.Version,
                        Served = true,
                        Storage = true,
                        Subresources = new V1CustomResourceSubresources { Status = new Dictionary<string, object>() },
                        Schema = new V1CustomResourceValidation { OpenAPIV3Schema = root },
                        AdditionalPrinterColumns = PrinterColumns(),
                    },
                ],
            },
        };
    }

    /// <summary>Returns the CRD as YAML, the format of the committed manifest.</summary>
    public static string ToYaml() => KubernetesYaml.Serialize(Build());

    private static List<V1CustomResourceColumnDefinition> PrinterColumns() =>
    [
        new() { Name = "Owner", Type = "string", JsonPath = ".spec.owner", Description = "Email of the tenant's owner." },
        new() { Name = "Ready", Type = "string", JsonPath = ".status.conditions[?(@.type==\"Ready\")].status", Description = "Whether the tenant is ready." },
        new() { Name = "URL", Type = "string", JsonPath = ".status.url", Description = "Address through the gateway." },
        new() { Name = "Reason", Type = "string", JsonPath = ".status.conditions[?(@.type==\"Ready\")].reason", Priority = 1, Description = "Reason of the Ready condition." },
        new() { Name = "Age", Type = "date", JsonPath = ".metadata.creationTimestamp" },
    ];

    // Conditions are a map keyed by type (one entry per type), as the Kubernetes API conventions ask.
    private static void ConfigureConditions(V1JSONSchemaProps conditions)
    {
        conditions.XKubernetesListType = "map";
        conditions.XKubernetesListMapKeys = ["type"];
        var item = (V1JSONSchemaProps)conditions.Items;
        item.Required = ["type", "status"];
        item.Properties["status"].EnumProperty = ["True", "False", "Unknown"];
    }
}
