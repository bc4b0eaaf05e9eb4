using Microsoft.AspNetCore.StaticFiles;

namespace Platform.Artifacts.Endpoints;

/// <summary>
/// Chooses the download content type the way MLflow's server does (<c>_guess_mime_type</c> in
/// mlflow/server/handlers.py): text extensions and extension-less <c>MLmodel</c>/<c>MLproject</c>
/// files are <c>text/plain</c>, other extensions use the standard table, and the rest is binary.
/// </summary>
internal sealed class ArtifactContentTypes
{
    /// <summary>Type for content with no known extension.</summary>
    public const string Binary = "application/octet-stream";

    private static readonly HashSet<string> TextExtensions = new(StringComparer.Ordinal)
    {
        "txt", "log", "err", "cfg", "conf", "cnf", "cf", "ini", "properties", "prop", "hocon", "toml", "yaml", "yml",
        "xml", "json", "js", "py", "py3", "csv", "tsv", "md", "rst", "MLmodel", "mlproject",
    };

    private readonly FileExtensionContentTypeProvider _provider = new();

    /// <summary>Returns the content type for a file named <paramref name="fileName"/>.</summary>
    public string ForFileName(string fileName)
    {
        var dot = fileName.LastIndexOf('.');
        var extension = dot < 0 ? fileName : fileName[(dot + 1)..];
        if (TextExtensions.Contains(extension))
        {
            return "text/plain";
        }

        return _provider.TryGetContentType(fileName, out var contentType) ? contentType : Binary;
    }
}
