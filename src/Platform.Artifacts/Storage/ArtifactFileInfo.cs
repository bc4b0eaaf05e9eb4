using System.Text.Json.Serialization;

namespace Platform.Artifacts;

/// <summary>
/// One listing entry in MLflow's <c>FileInfo</c> shape. <see cref="FileSize"/> is null for folders, so
/// the JSON omits <c>file_size</c> for them as MLflow does.
/// </summary>
public sealed record ArtifactFileInfo(
    [property: JsonPropertyName("path")] string Path,
    [property: JsonPropertyName("is_dir")] bool IsDir,
    [property: JsonPropertyName("file_size"), JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] long? FileSize);
