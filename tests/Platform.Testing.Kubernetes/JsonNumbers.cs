using System.Globalization;
using System.Text.Json.Nodes;

namespace Platform.Testing.Kubernetes;

/// <summary>Reads integers from JSON nodes whether they were parsed from text or set from C# as int or long.</summary>
internal static class JsonNumbers
{
    public static long? ToInt64(JsonNode? node) =>
        node is JsonValue value && long.TryParse(value.ToJsonString(), NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var number)
            ? number
            : null;
}
