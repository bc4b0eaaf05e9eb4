using System.Collections.Concurrent;
using System.Text.Json.Nodes;

namespace Platform.Testing.Kubernetes;

/// <summary>The resources the server serves: the built-in ones plus those that applied CRDs add.</summary>
internal sealed class ResourceRegistry
{
    private readonly ConcurrentDictionary<string, ResourceType> _types = new(StringComparer.Ordinal);

    public ResourceRegistry()
    {
        foreach (var type in BuiltInResources.All)
        {
            _types[type.Key] = type;
        }
    }

    public IEnumerable<ResourceType> All => _types.Values;

    public ResourceType? Find(string group, string version, string plural) =>
        _types.TryGetValue($"{group}/{version}/{plural}", out var type) ? type : null;

    public IEnumerable<ResourceType> InGroupVersion(string group, string version) =>
        _types.Values.Where(t => t.Group == group && t.Version == version).OrderBy(t => t.Plural, StringComparer.Ordinal);

    /// <summary>Registers every served version of a CRD, so that its resource is served at once.</summary>
    public void RegisterCustomResourceDefinition(JsonObject crd)
    {
        var crdName = (string?)crd["metadata"]?["name"] ?? "(unnamed)";
        var spec = crd["spec"] as JsonObject ?? throw Missing(crdName, "spec");
        var group = (string?)spec["group"] ?? throw Missing(crdName, "spec.group");
        var names = spec["names"] as JsonObject ?? throw Missing(crdName, "spec.names");
        var plural = (string?)names["plural"] ?? throw Missing(crdName, "spec.names.plural");
        var kind = (string?)names["kind"] ?? throw Missing(crdName, "spec.names.kind");
        var singular = (string?)names["singular"] ?? kind.ToLowerInvariant();
        var namespaced = !string.Equals((string?)spec["scope"], "Cluster", StringComparison.Ordinal);
        var shortNames = ReadStrings(names["shortNames"]);
        var categories = ReadStrings(names["categories"]);

        foreach (var version in (spec["versions"] as JsonArray ?? []).OfType<JsonObject>())
        {
            if (version["served"] is JsonValue served && !served.GetValue<bool>())
            {
                continue;
            }

            var columns = new List<PrinterColumn>();
            foreach (var column in (version["additionalPrinterColumns"] as JsonArray ?? []).OfType<JsonObject>())
            {
                columns.Add(new PrinterColumn(
                    (string?)column["name"] ?? "",
                    (string?)column["type"] ?? "string",
                    (string?)column["jsonPath"] ?? "",
                    column["priority"] is JsonValue priority ? priority.GetValue<int>() : 0,
                    (string?)column["description"] ?? ""));
            }

            if (columns.Count == 0)
            {
                columns.Add(PrinterColumn.Age);
            }

            var rules = new List<ValidationRule>();
            CollectRules(version["schema"]?["openAPIV3Schema"] as JsonObject, [], rules);
            var hasStatus = version["subresources"]?["status"] is not null;
            var type = new ResourceType(group, (string?)version["name"] ?? "v1", plural, singular, kind, namespaced, hasStatus)
            {
                ShortNames = shortNames,
                Categories = categories,
                PrinterColumns = columns,
                ValidationRules = rules,
            };
            _types[type.Key] = type;
        }
    }

    // Walks the schema's properties, so each rule keeps the path of the object it is declared on.
    private static void CollectRules(JsonObject? schema, string[] path, List<ValidationRule> rules)
    {
        if (schema is null)
        {
            return;
        }

        foreach (var rule in (schema["x-kubernetes-validations"] as JsonArray ?? []).OfType<JsonObject>())
        {
            if (ValidationRule.TryParse(path, (string?)rule["rule"] ?? "", (string?)rule["message"]) is { } parsed)
            {
                rules.Add(parsed);
            }
        }

        foreach (var (name, child) in schema["properties"] as JsonObject ?? [])
        {
            CollectRules(child as JsonObject, [.. path, name], rules);
        }
    }

    private static KubernetesApiException Missing(string crdName, string field) =>
        new(422, "Invalid", $"CustomResourceDefinition \"{crdName}\" is invalid: {field} is missing; add it and apply again.");

    private static List<string> ReadStrings(JsonNode? node) =>
        (node as JsonArray ?? []).Select(n => (string?)n).OfType<string>().ToList();
}
