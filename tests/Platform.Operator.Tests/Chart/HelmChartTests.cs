using System.Reflection;
using System.Text.RegularExpressions;
using Platform.Operator.Hosting;
using Platform.Testing;
using YamlDotNet.RepresentationModel;

namespace Platform.Operator.Tests.Chart;

/// <summary>
/// Structure checks of charts/lab-platform without a Helm binary: templates are flattened by a simple
/// substitution (control lines dropped, each action replaced by a placeholder) and parsed as YAML.
/// </summary>
public sealed partial class HelmChartTests
{
    private static readonly string ChartRoot = Path.Combine(RepositoryPaths.Root, "charts", "lab-platform");

    [Fact]
    public void ChartYaml_HasRequiredFields()
    {
        var chart = (YamlMappingNode)Load(File.ReadAllText(Path.Combine(ChartRoot, "Chart.yaml"))).Single();

        Assert.Equal("v2", Scalar(chart, "apiVersion"));
        Assert.Equal("lab-platform", Scalar(chart, "name"));
        Assert.Matches(@"^\d+\.\d+\.\d+$", Scalar(chart, "version"));
        Assert.Equal("application", Scalar(chart, "type"));
    }

    [Fact]
    public void Templates_ReferenceOnlyDefinedValues()
    {
        var values = (YamlMappingNode)Load(File.ReadAllText(Path.Combine(ChartRoot, "values.yaml"))).Single();
        var missing = new List<string>();

        foreach (var file in TemplateFiles(includeHelpers: true))
        {
            foreach (Match match in ValuesReference().Matches(File.ReadAllText(file)))
            {
                if (!PathExists(values, match.Groups[1].Value.Split('.')))
                {
                    missing.Add($"{Path.GetFileName(file)}: .Values.{match.Groups[1].Value}");
                }
            }
        }

        Assert.True(missing.Count == 0, "values.yaml lacks: " + string.Join(", ", missing));
    }

    [Fact]
    public void Templates_ParseAsKubernetesObjects()
    {
        var kinds = new List<string>();

        foreach (var file in TemplateFiles(includeHelpers: false))
        {
            foreach (var document in Load(Flatten(File.ReadAllText(file))))
            {
                var root = Assert.IsType<YamlMappingNode>(document);
                Assert.False(string.IsNullOrEmpty(Scalar(root, "apiVersion")), $"{file}: apiVersion missing");
                Assert.False(string.IsNullOrEmpty(Scalar((YamlMappingNode)root["metadata"], "name")), $"{file}: metadata.name missing");
                kinds.Add(Scalar(root, "kind"));
            }
        }

        Assert.Equal(
            ["ClusterRole", "ClusterRoleBinding", "Deployment", "Deployment", "Role", "RoleBinding", "Service", "ServiceAccount"],
            kinds.Order(StringComparer.Ordinal));
    }

    [Fact]
    public void OperatorDeployment_SetsRealOptions()
    {
        var text = File.ReadAllText(Path.Combine(ChartRoot, "templates", "operator-deployment.yaml"));
        var properties = typeof(OperatorOptions).GetProperties(BindingFlags.Public | BindingFlags.Instance).Select(p => p.Name).ToHashSet();

        var names = OperatorEnvironmentVariable().Matches(text).Select(m => m.Groups[1].Value).ToList();

        Assert.All(names, name => Assert.Contains(name, properties));
        foreach (var required in new[] { "AdminConnectionString", "Bucket", "GatewayBaseUrl", "TrackingImage" })
        {
            Assert.Contains(required, names);
        }
    }

    [Fact]
    public void Rbac_CoversWhatOperatorCalls()
    {
        var documents = Load(Flatten(File.ReadAllText(Path.Combine(ChartRoot, "templates", "operator-rbac.yaml")))).Cast<YamlMappingNode>().ToList();
        var clusterRole = documents.Single(d => Scalar(d, "kind") == "ClusterRole");
        var role = documents.Single(d => Scalar(d, "kind") == "Role");

        var granted = Grants(clusterRole);
        var leases = Grants(role);

        foreach (var resource in new[] { "trackingservers", "trackingservers/status", "deployments", "services", "secrets", "networkpolicies" })
        {
            Assert.Contains("patch", granted[resource]);
        }

        Assert.Contains("watch", granted["trackingservers"]);
        Assert.Contains("create", granted["events"]);
        Assert.DoesNotContain("delete", granted["trackingservers"]);
        Assert.Equal(["create", "get", "update"], leases["leases"].Order(StringComparer.Ordinal));
        Assert.DoesNotContain("*", granted.Keys);
    }

    [Fact]
    public void CrdFolder_IsPlainYaml()
    {
        var crd = File.ReadAllText(Path.Combine(ChartRoot, "crds", "trackingservers.labplatform.io.yaml"));

        Assert.DoesNotContain("{{", crd);
        Assert.Equal("CustomResourceDefinition", Scalar((YamlMappingNode)Load(crd).Single(), "kind"));
    }

    private static Dictionary<string, HashSet<string>> Grants(YamlMappingNode role)
    {
        var grants = new Dictionary<string, HashSet<string>>(StringComparer.Ordinal);
        foreach (var rule in ((YamlSequenceNode)role["rules"]).Cast<YamlMappingNode>())
        {
            var verbs = ((YamlSequenceNode)rule["verbs"]).Select(v => ((YamlScalarNode)v).Value!).ToList();
            foreach (var resource in ((YamlSequenceNode)rule["resources"]).Select(r => ((YamlScalarNode)r).Value!))
            {
                grants.TryAdd(resource, new HashSet<string>(StringComparer.Ordinal));
                grants[resource].UnionWith(verbs);
            }
        }

        return grants;
    }

    private static IEnumerable<string> TemplateFiles(bool includeHelpers) =>
        Directory.GetFiles(Path.Combine(ChartRoot, "templates"))
            .Where(f => f.EndsWith(".yaml", StringComparison.Ordinal) || (includeHelpers && f.EndsWith(".tpl", StringComparison.Ordinal)))
            .Order(StringComparer.Ordinal);

    // Drops control lines, turns "{{ ... | nindent N }}" into an indented placeholder entry, and every other action into a placeholder.
    private static string Flatten(string template)
    {
        var lines = new List<string>();
        foreach (var line in template.Split('\n'))
        {
            if (ControlLine().IsMatch(line))
            {
                continue;
            }

            var indented = NindentAction().Match(line);
            if (indented.Success)
            {
                lines.Add(new string(' ', int.Parse(indented.Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture)) + "rendered: placeholder");
                continue;
            }

            lines.Add(Action().Replace(line, "placeholder"));
        }

        return string.Join('\n', lines);
    }

    private static List<YamlNode> Load(string text)
    {
        var stream = new YamlStream();
        stream.Load(new StringReader(text));
        return stream.Documents.Select(d => d.RootNode).ToList();
    }

    private static string Scalar(YamlMappingNode node, string key) =>
        node.Children.TryGetValue(new YamlScalarNode(key), out var value) ? ((YamlScalarNode)value).Value ?? "" : "";

    private static bool PathExists(YamlMappingNode node, string[] path)
    {
        YamlNode current = node;
        foreach (var part in path)
        {
            if (current is not YamlMappingNode mapping || !mapping.Children.TryGetValue(new YamlScalarNode(part), out var child))
            {
                return false;
            }

            current = child;
        }

        return true;
    }

    [GeneratedRegex(@"\.Values\.([A-Za-z0-9_.]+)")]
    private static partial Regex ValuesReference();

    [GeneratedRegex(@"name: Operator__([A-Za-z]+)")]
    private static partial Regex OperatorEnvironmentVariable();

    [GeneratedRegex(@"^\s*\{\{-?\s*(if|end|with|range|else)\b.*\}\}\s*$")]
    private static partial Regex ControlLine();

    [GeneratedRegex(@"^\s*\{\{-?.*\|\s*nindent\s+(\d+)\s*-?\}\}\s*$")]
    private static partial Regex NindentAction();

    [GeneratedRegex(@"\{\{-?.*?-?\}\}")]
    private static partial Regex Action();
}
