using System.Text.Encodings.Web;
using System.Text.Json;

namespace Platform.Artifacts.Endpoints;

/// <summary>Writer settings for the artifact endpoints' JSON responses.</summary>
internal static class ArtifactJson
{
    /// <summary>
    /// Options with an encoder that leaves apostrophes, quotes and non-ASCII characters unescaped, so messages
    /// such as "Artifact 'a.txt' does not exist." stay readable. That is safe because the bodies are served as
    /// application/json and never embedded in HTML.
    /// </summary>
    public static JsonWriterOptions WriterOptions { get; } = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };
}
