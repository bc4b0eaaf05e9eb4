using k8s.Models;
using Platform.Operator.Api;
using Platform.Operator.Crd;
using Platform.Testing;

namespace Platform.Operator.Tests.Crd;

public sealed class CrdGeneratorTests
{
    private const string StaleHint = "is stale; run scripts/generate-crds.sh and commit the result";

    [Fact]
    public void CommittedManifest_MatchesGenerator()
    {
        var path = Path.Combine(RepositoryPaths.Root, "manifests", "crds", "trackingservers.labplatform.io.yaml");

        var committed = File.ReadAllText(path);

        Assert.True(committed == CrdGenerator.ToYaml(), $"{path} {StaleHint}.");
    }

    [Fact]
    public void ChartCopy_MatchesManifest()
    {
        var manifest = File.ReadAllText(Path.Combine(RepositoryPaths.Root, "manifests", "crds", "trackingservers.labplatform.io.yaml"));
        var chartPath = Path.Combine(RepositoryPaths.Root, "charts", "lab-platform", "crds", "trackingservers.labplatform.io.yaml");

        Assert.True(manifest == File.ReadAllText(chartPath), $"{chartPath} {StaleHint}.");
    }

    [Fact]
    public void Build_DeclaresNamesAndStatusSubresource()
    {
        var crd = CrdGenerator.Build();

        Assert.Equal("trackingservers.labplatform.io", crd.Metadata.Name);
        Assert.Equal("labplatform.io", crd.Spec.Group);
        Assert.Equal(["ts"], crd.Spec.Names.ShortNames);
        Assert.Equal(["labplatform"], crd.Spec.Names.Categories);
        var version = Assert.Single(crd.Spec.Versions);
        Assert.Equal("v1alpha1", version.Name);
        Assert.NotNull(version.Subresources.Status);
        Assert.Equal(
            ["Owner:.spec.owner:0", "Ready:.status.conditions[?(@.type==\"Ready\")].status:0", "URL:.status.url:0", "Reason:.status.conditions[?(@.type==\"Ready\")].reason:1", "Age:.metadata.creationTimestamp:0"],
            version.AdditionalPrinterColumns.Select(c => $"{c.Name}:{c.JsonPath}:{c.Priority ?? 0}"));
    }

    [Fact]
    public void Build_ValidatesSpec()
    {
        var root = CrdGenerator.Build().Spec.Versions[0].Schema.OpenAPIV3Schema;
        var spec = root.Properties["spec"];

        Assert.Equal(["owner"], spec.Required);
        Assert.Equal(EmailPattern.Value, spec.Properties["owner"].Pattern);
        Assert.Equal(EmailPattern.Value, ((V1JSONSchemaProps)spec.Properties["collaborators"].Items).Pattern);
        Assert.Equal(["Retain", "Delete"], spec.Properties["deletionPolicy"].EnumProperty.Cast<string>());
        Assert.Equal("Retain", spec.Properties["deletionPolicy"].DefaultProperty);
        Assert.Equal("boolean", spec.Properties["suspend"].Type);
        var immutable = Assert.Single(spec.XKubernetesValidations);
        Assert.Equal("self.owner == oldSelf.owner", immutable.Rule);
        Assert.Contains("spec.owner is immutable", immutable.Message);
        Assert.Equal("size(self.metadata.name) <= 54", Assert.Single(root.XKubernetesValidations).Rule);
    }

    [Fact]
    public void Build_ConditionsAreMapKeyedByType()
    {
        var status = CrdGenerator.Build().Spec.Versions[0].Schema.OpenAPIV3Schema.Properties["status"];
        var conditions = status.Properties["conditions"];

        Assert.Equal("map", conditions.XKubernetesListType);
        Assert.Equal(["type"], conditions.XKubernetesListMapKeys);
        var item = (V1JSONSchemaProps)conditions.Items;
        Assert.Equal(["type", "status"], item.Required);
        Assert.Contains("observedGeneration", item.Properties.Keys);
        Assert.Contains("lastTransitionTime", item.Properties.Keys);
        Assert.Equal(["conditions", "url", "serviceEndpoint", "databaseSchema", "bucketPrefix", "observedGeneration"], status.Properties.Keys);
    }

    [Fact]
    public void SchemaBuilder_RejectsRecursiveType()
    {
        var error = Assert.Throws<InvalidOperationException>(() => OpenApiSchemaBuilder.Build(typeof(Node)));

        Assert.Contains("nests deeper than 10 levels", error.Message);
    }

    private sealed class Node
    {
        [System.Text.Json.Serialization.JsonPropertyName("child")]
        public Node? Child { get; set; }
    }
}
