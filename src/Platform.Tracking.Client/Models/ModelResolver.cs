using System.Collections.Concurrent;
using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using Microsoft.Extensions.Logging;

namespace Platform.Tracking.Client;

/// <summary>
/// Resolves <c>models:/</c> URIs to model versions and to local folders. Downloads are cached on disk under
/// <see cref="TrackingClientOptions.ModelCacheDirectory"/>, keyed by the tracking URI, model name, version, source,
/// run and creation time, because a version's files never change but another server (or tenant) may have a version
/// with the same name and number. Aliases and stages are resolved on every call, so a moved alias yields the new version.
/// </summary>
public sealed class ModelResolver
{
    private readonly ModelRegistryClient _registry;
    private readonly RunsClient _runs;
    private readonly ArtifactsClient _artifacts;
    private readonly string _cacheDirectory;
    private readonly Uri _trackingUri;
    private readonly ILogger _logger;
    private readonly ConcurrentDictionary<string, SemaphoreSlim> _downloadLocks = new(StringComparer.Ordinal);

    internal ModelResolver(ModelRegistryClient registry, RunsClient runs, ArtifactsClient artifacts, string cacheDirectory, Uri trackingUri, ILogger logger)
    {
        _trackingUri = trackingUri;
        _registry = registry;
        _runs = runs;
        _artifacts = artifacts;
        _cacheDirectory = cacheDirectory;
        _logger = logger;
    }

    /// <summary>Returns the model version that <paramref name="modelUri"/> names right now.</summary>
    public async Task<ModelVersion> ResolveVersionAsync(string modelUri, CancellationToken cancellationToken = default)
    {
        var uri = ModelUri.Parse(modelUri);
        if (uri.Version is not null)
        {
            return await _registry.GetModelVersionAsync(uri.Name, uri.Version, cancellationToken).ConfigureAwait(false);
        }

        if (uri.Alias is not null)
        {
            return await _registry.GetModelVersionByAliasAsync(uri.Name, uri.Alias, cancellationToken).ConfigureAwait(false);
        }

        var latest = string.Equals(uri.Stage, "latest", StringComparison.OrdinalIgnoreCase);
        var versions = await _registry.GetLatestVersionsAsync(uri.Name, latest ? null : [uri.Stage!], cancellationToken).ConfigureAwait(false);
        return versions.MaxBy(v => long.TryParse(v.Version, out var number) ? number : -1)
            ?? throw new InvalidOperationException($"Model '{uri.Name}' has no version in stage '{uri.Stage}' ({modelUri}).");
    }

    /// <summary>
    /// Downloads the files of the version that <paramref name="modelUri"/> names and returns the local folder that contains them.
    /// A version already in the cache is not downloaded again.
    /// </summary>
    public async Task<ResolvedModel> DownloadAsync(string modelUri, CancellationToken cancellationToken = default)
    {
        var version = await ResolveVersionAsync(modelUri, cancellationToken).ConfigureAwait(false);
        if (!version.Version.All(char.IsAsciiDigit) || version.Version.Length == 0)
        {
            throw new InvalidOperationException($"The server returned version '{version.Version}' for {modelUri}; MLflow versions are positive integers.");
        }

        var folder = Path.Combine(_cacheDirectory, EscapeFolderName(version.Name), $"{version.Version}-{CacheKey(version)}");
        if (Directory.Exists(folder))
        {
            ClientLog.ModelCacheHit(_logger, version.Name, version.Version, folder);
            return new ResolvedModel(version, folder);
        }

        var gate = _downloadLocks.GetOrAdd(folder, _ => new SemaphoreSlim(1, 1));
        await gate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            if (!Directory.Exists(folder))
            {
                await DownloadVersionAsync(version, folder, cancellationToken).ConfigureAwait(false);
                ClientLog.ModelDownloaded(_logger, version.Name, version.Version, folder);
            }
        }
        finally
        {
            gate.Release();
        }

        return new ResolvedModel(version, folder);
    }

    private async Task DownloadVersionAsync(ModelVersion version, string folder, CancellationToken cancellationToken)
    {
        var artifactUri = await GetArtifactUriAsync(version, cancellationToken).ConfigureAwait(false);
        Directory.CreateDirectory(Path.GetDirectoryName(folder)!);

        // Files land in a private folder first and are renamed into place, so a cache folder is always complete.
        var staging = $"{folder}.{Guid.NewGuid():N}.partial";
        try
        {
            var entries = await _artifacts.ListAsync(artifactUri, cancellationToken: cancellationToken).ConfigureAwait(false);
            if (entries.Count > 0)
            {
                await _artifacts.DownloadDirectoryAsync(artifactUri, null, staging, cancellationToken).ConfigureAwait(false);
            }
            else if (await _artifacts.FileExistsAsync(artifactUri, string.Empty, cancellationToken).ConfigureAwait(false))
            {
                // The source is a single file rather than a folder.
                var fileName = artifactUri.TrimEnd('/').Split('/')[^1];
                await _artifacts.DownloadFileAsync(artifactUri, string.Empty, Path.Combine(staging, fileName), cancellationToken).ConfigureAwait(false);
            }
            else
            {
                throw new InvalidOperationException(
                    $"Model '{version.Name}' version {version.Version} has no files at '{artifactUri}' (source '{version.Source}'). " +
                    "Upload the model artifacts before registering the version.");
            }

            try
            {
                Directory.Move(staging, folder);
            }
            catch (IOException) when (Directory.Exists(folder))
            {
                // Another process finished the same download first. Its folder is as good as ours.
            }
        }
        finally
        {
            if (Directory.Exists(staging))
            {
                Directory.Delete(staging, recursive: true);
            }
        }
    }

    private async Task<string> GetArtifactUriAsync(ModelVersion version, CancellationToken cancellationToken)
    {
        var uri = await _registry.GetDownloadUriAsync(version.Name, version.Version, cancellationToken).ConfigureAwait(false);
        if (!uri.StartsWith("runs:/", StringComparison.Ordinal))
        {
            return uri;
        }

        // runs:/<run_id>/<path> is resolved against the run's artifact root, as MLflow's RunsArtifactRepository does.
        var rest = uri["runs:/".Length..].Trim('/');
        var slash = rest.IndexOf('/');
        var runId = slash < 0 ? rest : rest[..slash];
        var path = slash < 0 ? string.Empty : rest[(slash + 1)..];
        var run = await _runs.GetAsync(runId, cancellationToken).ConfigureAwait(false);
        var root = run.Info.ArtifactUri ?? throw new InvalidOperationException($"Run {runId} of model source '{uri}' has no artifact_uri.");
        return path.Length == 0 ? root : $"{root.TrimEnd('/')}/{path}";
    }

    // Model names may contain characters that are not valid in file names, and "." or ".." would leave the cache.
    // Identifies one version on one server, so two tenants' "frappe-ffm version 1" never share a cache folder.
    private string CacheKey(ModelVersion version)
    {
        var identity = string.Join('\n',
            _trackingUri.AbsoluteUri.TrimEnd('/'),
            version.Name,
            version.Version,
            version.Source ?? string.Empty,
            version.RunId ?? string.Empty,
            version.CreationTimestamp?.ToString(CultureInfo.InvariantCulture) ?? string.Empty);
        return Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(identity)))[..16];
    }

    private static string EscapeFolderName(string name)
    {
        var escaped = Uri.EscapeDataString(name);
        return escaped.StartsWith('.') ? "%2E" + escaped[1..] : escaped;
    }
}
