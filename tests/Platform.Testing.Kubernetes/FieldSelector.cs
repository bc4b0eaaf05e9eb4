using System.Text.Json.Nodes;

namespace Platform.Testing.Kubernetes;

/// <summary>A field selector over <c>metadata.name</c> and <c>metadata.namespace</c>, the two fields every resource supports.</summary>
internal sealed class FieldSelector
{
    private readonly List<(string Path, string Value, bool Negate)> _terms = [];

    public static FieldSelector Parse(string? text)
    {
        var selector = new FieldSelector();
        if (string.IsNullOrWhiteSpace(text))
        {
            return selector;
        }

        foreach (var term in text.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries))
        {
            var negate = term.Contains("!=", StringComparison.Ordinal);
            var parts = term.Split(negate ? "!=" : "=", 2, StringSplitOptions.TrimEntries);
            var path = parts[0];
            if (parts.Length != 2 || path is not ("metadata.name" or "metadata.namespace"))
            {
                throw new KubernetesApiException(400, "BadRequest",
                    $"Invalid field selector '{text}': only metadata.name and metadata.namespace with = or != are supported.");
            }

            selector._terms.Add((path, parts[1].TrimStart('='), negate));
        }

        return selector;
    }

    public bool Matches(JsonObject item)
    {
        foreach (var (path, value, negate) in _terms)
        {
            var actual = (string?)item["metadata"]?[path["metadata.".Length..]] ?? "";
            if ((actual == value) == negate)
            {
                return false;
            }
        }

        return true;
    }
}
