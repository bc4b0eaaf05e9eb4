namespace Platform.Artifacts.Runs;

/// <summary>
/// Lists a run's artifacts for <c>GET /api/2.0/mlflow/artifacts/list?run_id=...&amp;path=...</c>, which the
/// tracking server hosts. The run's artifact root must be an <c>mlflow-artifacts:</c> URI or lie under
/// the store's root URI.
/// </summary>
public sealed class RunArtifactLister
{
    /// <summary>Scheme of artifact URIs that the artifact proxy serves.</summary>
    public const string ProxyScheme = "mlflow-artifacts";

    private readonly IArtifactStore _store;

    /// <summary>Creates a lister over <paramref name="store"/>.</summary>
    public RunArtifactLister(IArtifactStore store)
    {
        ArgumentNullException.ThrowIfNull(store);
        _store = store;
    }

    /// <summary>
    /// Lists <paramref name="relativePath"/> (null or empty for the top level) under the run whose artifact
    /// root is <paramref name="runArtifactUri"/>. Throws INVALID_PARAMETER_VALUE for an unsafe path or a
    /// root this store does not serve.
    /// </summary>
    public async Task<RunArtifactList> ListAsync(string runArtifactUri, string? relativePath, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(runArtifactUri);
        var runRoot = ResolveRunRoot(runArtifactUri);
        var relative = ArtifactPath.ParseFolder(relativePath);
        var folder = runRoot;
        if (!relative.IsRoot)
        {
            folder = runRoot.IsRoot ? relative : ArtifactPath.ParseFolder($"{runRoot.Value}/{relative.Value}");
        }

        var files = new List<ArtifactFileInfo>();
        await foreach (var entry in _store.ListAsync(folder, cancellationToken).ConfigureAwait(false))
        {
            var path = runRoot.IsRoot ? entry.Path : entry.Path[(runRoot.Value.Length + 1)..];
            files.Add(entry with { Path = path });
        }

        return new RunArtifactList(runArtifactUri, files);
    }

    /// <summary>
    /// Returns the store path of a run's artifact root: <c>mlflow-artifacts:/1/abc/artifacts</c> (with or
    /// without a host) maps to <c>1/abc/artifacts</c>, and a URI under the store's root maps to the rest.
    /// </summary>
    public ArtifactPath ResolveRunRoot(string runArtifactUri)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(runArtifactUri);
        if (runArtifactUri.StartsWith(ProxyScheme + ":", StringComparison.Ordinal))
        {
            var rest = runArtifactUri[(ProxyScheme.Length + 1)..];

            // mlflow-artifacts://host:port/path names a remote proxy. Only the path selects the folder here.
            if (rest.StartsWith("//", StringComparison.Ordinal))
            {
                var slash = rest.IndexOf('/', 2);
                rest = slash < 0 ? string.Empty : rest[slash..];
            }

            return ArtifactPath.ParseFolder(rest.TrimStart('/'), "artifact_uri");
        }

        var root = _store.RootUri.TrimEnd('/');
        if (runArtifactUri == root)
        {
            return ArtifactPath.Root;
        }

        if (runArtifactUri.StartsWith(root + "/", StringComparison.Ordinal))
        {
            return ArtifactPath.ParseFolder(runArtifactUri[(root.Length + 1)..], "artifact_uri");
        }

        throw ArtifactException.InvalidParameter(
            $"Run artifact root '{runArtifactUri}' is not served by this server's artifact store '{root}'. " +
            $"Only '{ProxyScheme}:/...' roots and roots under the store can be listed here.");
    }
}
