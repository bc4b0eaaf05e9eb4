using System.Text.Json.Nodes;
using System.Text.RegularExpressions;

namespace Platform.Testing.Kubernetes;

/// <summary>
/// A CRD's <c>x-kubernetes-validations</c> rule in one of the two CEL forms this server evaluates:
/// the immutability rule <c>self.field == oldSelf.field</c> and the name limit
/// <c>size(self.metadata.name) &lt;= N</c>, both at the schema path where the CRD declares them.
/// </summary>
/// <remarks>NOTE: any other CEL expression is stored with the CRD but not evaluated.</remarks>
internal sealed partial record ValidationRule(string[] Path, string Field, int? MaxNameLength, string Message)
{
    /// <summary>Parses a rule, or returns null when it is not one of the supported forms.</summary>
    public static ValidationRule? TryParse(string[] path, string rule, string? message)
    {
        var immutable = ImmutableField().Match(rule.Trim());
        if (immutable.Success && immutable.Groups[1].Value == immutable.Groups[2].Value)
        {
            return new ValidationRule(path, immutable.Groups[1].Value, null, message ?? $"failed rule: {rule}");
        }

        var nameSize = NameSize().Match(rule.Trim());
        if (nameSize.Success && path.Length == 0)
        {
            return new ValidationRule(path, "", int.Parse(nameSize.Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture), message ?? $"failed rule: {rule}");
        }

        return null;
    }

    /// <summary>Returns the rule's message when <paramref name="next"/> breaks it, else null. <paramref name="previous"/> is null on create.</summary>
    public string? Check(JsonObject? previous, JsonObject next)
    {
        if (MaxNameLength is { } max)
        {
            var name = (string?)next["metadata"]?["name"] ?? "";
            return name.Length > max ? Message : null;
        }

        // Transition rules run on updates only, and only where the object exists both before and after.
        if (previous is null || Resolve(previous) is not JsonObject before || Resolve(next) is not JsonObject after)
        {
            return null;
        }

        return JsonNode.DeepEquals(before[Field], after[Field]) ? null : Message;
    }

    /// <summary>Dotted path of the object the rule sits on, for error messages.</summary>
    public string PathText => Path.Length == 0 ? "<root>" : string.Join('.', Path);

    private JsonNode? Resolve(JsonObject root)
    {
        JsonNode? current = root;
        foreach (var part in Path)
        {
            current = current?[part];
        }

        return current;
    }

    [GeneratedRegex(@"^self\.([A-Za-z_][A-Za-z0-9_]*)\s*==\s*oldSelf\.([A-Za-z_][A-Za-z0-9_]*)$")]
    private static partial Regex ImmutableField();

    [GeneratedRegex(@"^size\(self\.metadata\.name\)\s*<=\s*(\d+)$")]
    private static partial Regex NameSize();
}
