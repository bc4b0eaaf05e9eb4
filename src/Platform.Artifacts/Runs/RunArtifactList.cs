using System.Text.Json.Serialization;

namespace Platform.Artifacts.Runs;

/// <summary>
/// Response of <c>GET /api/2.0/mlflow/artifacts/list</c>: the run's artifact root and one folder level,
/// with each <c>path</c> relative to the run's artifact root.
/// </summary>
public sealed record RunArtifactList(
    [property: JsonPropertyName("root_uri")] string RootUri,
    [property: JsonPropertyName("files")] IReadOnlyList<ArtifactFileInfo> Files);
