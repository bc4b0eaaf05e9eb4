namespace Platform.Tracking.Client;

/// <summary>
/// An artifact root resolved to the MLflow artifact proxy: <see cref="ProxyUrl"/> is
/// <c>&lt;tracking URI&gt;/api/2.0/mlflow-artifacts/artifacts</c> and <see cref="RootPath"/> the path under it,
/// such as <c>0/&lt;run_id&gt;/artifacts</c>.
/// </summary>
internal sealed record ArtifactLocation(string ProxyUrl, string RootPath)
{
    private const string ProxyPath = "/api/2.0/mlflow-artifacts/artifacts";
    private const string ProxyScheme = "mlflow-artifacts:";

    /// <summary>
    /// Resolves <paramref name="artifactUri"/> the way MLflow's mlflow_artifacts_repo does: <c>mlflow-artifacts:/p</c> goes under the
    /// tracking URI (path prefix kept), <c>mlflow-artifacts://host:port/p</c> uses that host with the tracking scheme and path,
    /// and an http(s) URI of the proxy is used as is. Other schemes (gs://, s3://, file://) are not served by the proxy.
    /// </summary>
    public static ArtifactLocation Parse(string artifactUri, Uri trackingUri)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(artifactUri);
        var trackingPath = trackingUri.AbsolutePath.TrimEnd('/');
        if (artifactUri.StartsWith(ProxyScheme, StringComparison.OrdinalIgnoreCase))
        {
            var rest = artifactUri[ProxyScheme.Length..];
            var authority = trackingUri.Authority;
            if (rest.StartsWith("//", StringComparison.Ordinal))
            {
                var end = rest.IndexOf('/', 2);
                authority = end < 0 ? rest[2..] : rest[2..end];
                rest = end < 0 ? string.Empty : rest[end..];
                if (authority.Length == 0)
                {
                    authority = trackingUri.Authority;
                }
            }

            var proxyUrl = $"{trackingUri.Scheme}://{authority}{trackingPath}{ProxyPath}";
            return new ArtifactLocation(proxyUrl, UnescapePath(rest, artifactUri));
        }

        if (Uri.TryCreate(artifactUri, UriKind.Absolute, out var absolute) && (absolute.Scheme == Uri.UriSchemeHttp || absolute.Scheme == Uri.UriSchemeHttps))
        {
            var index = absolute.AbsolutePath.IndexOf(ProxyPath, StringComparison.Ordinal);
            if (index >= 0)
            {
                var proxyUrl = absolute.GetLeftPart(UriPartial.Authority) + absolute.AbsolutePath[..(index + ProxyPath.Length)];
                return new ArtifactLocation(proxyUrl, UnescapePath(absolute.AbsolutePath[(index + ProxyPath.Length)..], artifactUri));
            }
        }

        throw new NotSupportedException(
            $"Artifact URI '{artifactUri}' is not served by the MLflow artifact proxy, which this client uses for every transfer. " +
            "Start the tracking server with --artifacts-destination so runs get mlflow-artifacts:/ URIs.");
    }

    /// <summary>URL of one artifact file, for PUT and GET.</summary>
    public Uri GetFileUri(string relativePath) =>
        new($"{ProxyUrl}/{ArtifactPaths.EscapeSegments(ArtifactPaths.Join(RootPath, relativePath))}");

    /// <summary>URL that lists one folder level.</summary>
    public Uri GetListUri(string relativePath)
    {
        var path = ArtifactPaths.Join(RootPath, relativePath);
        return new Uri(path.Length == 0 ? ProxyUrl : $"{ProxyUrl}?path={Uri.EscapeDataString(path)}");
    }

    private static string UnescapePath(string path, string artifactUri)
    {
        var segments = path.Split('/', StringSplitOptions.RemoveEmptyEntries).Select(Uri.UnescapeDataString);
        return ArtifactPaths.Normalize(string.Join('/', segments), nameof(artifactUri));
    }
}
