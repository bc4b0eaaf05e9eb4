using System.Text.Encodings.Web;
using System.Text.Json;

namespace Platform.Testing.Kubernetes;

/// <summary>Serializer settings for responses: the API server leaves quotes and '+' unescaped, so messages read as written.</summary>
internal static class JsonOutput
{
    public static JsonSerializerOptions Options { get; } = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };
}
