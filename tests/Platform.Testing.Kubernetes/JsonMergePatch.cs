using System.Text.Json.Nodes;

namespace Platform.Testing.Kubernetes;

/// <summary>Applies an RFC 7386 JSON merge patch: objects merge key by key, <c>null</c> removes a key, anything else replaces.</summary>
internal static class JsonMergePatch
{
    public static JsonNode? Apply(JsonNode? target, JsonNode? patch)
    {
        if (patch is not JsonObject patchObject)
        {
            return patch?.DeepClone();
        }

        var result = target is JsonObject targetObject ? (JsonObject)targetObject.DeepClone() : new JsonObject();
        foreach (var (key, value) in patchObject)
        {
            if (value is null)
            {
                result.Remove(key);
                continue;
            }

            var merged = Apply(result[key], value);
            result[key] = merged;
        }

        return result;
    }
}
