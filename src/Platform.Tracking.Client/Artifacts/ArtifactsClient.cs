using System.Net;
using System.Net.Http.Headers;
using Microsoft.Extensions.Logging;

namespace Platform.Tracking.Client;

/// <summary>
/// Uploads, lists and downloads artifacts through the MLflow artifact proxy
/// (<c>/api/2.0/mlflow-artifacts/artifacts</c>). Bodies are streamed in both directions and never held in memory whole.
/// </summary>
public sealed class ArtifactsClient
{
    private const int UploadParallelism = 4;
    private const int DownloadBufferSize = 81_920;

    private readonly MlflowTransport _transport;
    private readonly ILogger _logger;

    internal ArtifactsClient(MlflowTransport transport, ILogger logger)
    {
        _transport = transport;
        _logger = logger;
    }

    /// <summary>
    /// Uploads a local file to <c>&lt;artifactPath&gt;/&lt;file name&gt;</c> under <paramref name="artifactUri"/>, like MLflow's
    /// <c>log_artifact</c>. The file is reopened for each retry.
    /// </summary>
    public async Task UploadFileAsync(string artifactUri, string localFile, string? artifactPath = null, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(localFile);
        var info = new FileInfo(localFile);
        if (!info.Exists)
        {
            throw new FileNotFoundException($"Artifact file '{localFile}' does not exist.", localFile);
        }

        var location = ArtifactLocation.Parse(artifactUri, _transport.TrackingUri);
        var destination = ArtifactPaths.Join(ArtifactPaths.Normalize(artifactPath, nameof(artifactPath)), ArtifactPaths.Normalize(info.Name, nameof(localFile)));
        await PutAsync(
            location,
            destination,
            () => new UploadContent(new FileStream(info.FullName, FileMode.Open, FileAccess.Read, FileShare.Read, 1, FileOptions.Asynchronous | FileOptions.SequentialScan), info.Length, ownsStream: true),
            retryable: true,
            cancellationToken).ConfigureAwait(false);
        ClientLog.ArtifactUploaded(_logger, destination, info.Length);
    }

    /// <summary>Uploads every file below <paramref name="localDirectory"/>, keeping the relative folder layout, under <paramref name="artifactPath"/>.</summary>
    public async Task UploadDirectoryAsync(string artifactUri, string localDirectory, string? artifactPath = null, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(localDirectory);
        var root = new DirectoryInfo(localDirectory);
        if (!root.Exists)
        {
            throw new DirectoryNotFoundException($"Artifact folder '{localDirectory}' does not exist.");
        }

        var prefix = ArtifactPaths.Normalize(artifactPath, nameof(artifactPath));
        var files = root.EnumerateFiles("*", SearchOption.AllDirectories).ToList();
        await Parallel.ForEachAsync(
            files,
            new ParallelOptions { MaxDegreeOfParallelism = UploadParallelism, CancellationToken = cancellationToken },
            async (file, token) =>
            {
                var relativeFolder = Path.GetRelativePath(root.FullName, file.DirectoryName!).Replace(Path.DirectorySeparatorChar, '/');
                var folder = relativeFolder == "." ? prefix : ArtifactPaths.Join(prefix, ArtifactPaths.Normalize(relativeFolder, nameof(localDirectory)));
                await UploadFileAsync(artifactUri, file.FullName, folder, token).ConfigureAwait(false);
            }).ConfigureAwait(false);
    }

    /// <summary>
    /// Streams <paramref name="content"/> from its current position to the artifact file <paramref name="artifactFilePath"/>.
    /// A seekable stream is rewound for each retry. A non-seekable one is sent once, without retries, using chunked encoding.
    /// The stream is not disposed.
    /// </summary>
    public async Task UploadStreamAsync(string artifactUri, Stream content, string artifactFilePath, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(content);
        var destination = ArtifactPaths.Normalize(artifactFilePath, nameof(artifactFilePath));
        if (destination.Length == 0)
        {
            throw new ArgumentException("The artifact file path is empty; give the file name to write, such as 'model/weights.bin'.", nameof(artifactFilePath));
        }

        var location = ArtifactLocation.Parse(artifactUri, _transport.TrackingUri);
        var start = content.CanSeek ? content.Position : 0;
        long? length = content.CanSeek ? content.Length - start : null;
        await PutAsync(
            location,
            destination,
            () =>
            {
                if (content.CanSeek)
                {
                    content.Position = start;
                }

                return new UploadContent(content, length, ownsStream: false);
            },
            retryable: content.CanSeek,
            cancellationToken).ConfigureAwait(false);
        ClientLog.ArtifactUploaded(_logger, destination, content.CanSeek ? content.Position - start : -1);
    }

    /// <summary>Lists one folder level. Each entry's path is relative to the artifact root of <paramref name="artifactUri"/>.</summary>
    public async Task<IReadOnlyList<ArtifactFileInfo>> ListAsync(string artifactUri, string? path = null, CancellationToken cancellationToken = default)
    {
        var location = ArtifactLocation.Parse(artifactUri, _transport.TrackingUri);
        var folder = ArtifactPaths.Normalize(path, nameof(path));
        var uri = location.GetListUri(folder);
        using var response = await _transport.SendAsync(
            () => new HttpRequestMessage(HttpMethod.Get, uri), retryable: true, HttpCompletionOption.ResponseContentRead, null, cancellationToken).ConfigureAwait(false);
        var listing = await MlflowTransport.ReadJsonAsync(response, MlflowJsonContext.Default.ListArtifactsResponse, cancellationToken).ConfigureAwait(false);

        // The proxy names each entry relative to the listed folder (MLflow's handler sends the base name).
        return listing.Files
            .Select(file => file with { Path = ArtifactPaths.Join(folder, ArtifactPaths.Normalize(file.Path, "files[].path")) })
            .ToList();
    }

    /// <summary>Downloads one artifact file to <paramref name="localFile"/>, through a temporary file so a failed transfer leaves nothing half-written.</summary>
    public async Task DownloadFileAsync(string artifactUri, string artifactFilePath, string localFile, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(localFile);
        var location = ArtifactLocation.Parse(artifactUri, _transport.TrackingUri);
        var uri = location.GetFileUri(ArtifactPaths.Normalize(artifactFilePath, nameof(artifactFilePath)));
        var directory = Path.GetDirectoryName(Path.GetFullPath(localFile))!;
        Directory.CreateDirectory(directory);
        var temporary = Path.Combine(directory, $".{Path.GetFileName(localFile)}.{Guid.NewGuid():N}.partial");
        try
        {
            using (var response = await _transport.SendAsync(
                () => new HttpRequestMessage(HttpMethod.Get, uri), retryable: true, HttpCompletionOption.ResponseHeadersRead, null, cancellationToken).ConfigureAwait(false))
            await using (var output = new FileStream(temporary, FileMode.CreateNew, FileAccess.Write, FileShare.None, 1, FileOptions.Asynchronous))
            {
                await using var body = await response.Content.ReadAsStreamAsync(cancellationToken).ConfigureAwait(false);
                await body.CopyToAsync(output, DownloadBufferSize, cancellationToken).ConfigureAwait(false);
            }

            File.Move(temporary, localFile, overwrite: true);
        }
        finally
        {
            File.Delete(temporary);
        }
    }

    /// <summary>Downloads the folder <paramref name="path"/> (the artifact root when null) recursively into <paramref name="localDirectory"/>.</summary>
    public async Task DownloadDirectoryAsync(string artifactUri, string? path, string localDirectory, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(localDirectory);
        var folder = ArtifactPaths.Normalize(path, nameof(path));
        Directory.CreateDirectory(localDirectory);
        foreach (var entry in await ListAsync(artifactUri, folder, cancellationToken).ConfigureAwait(false))
        {
            var relative = folder.Length == 0 ? entry.Path : entry.Path[(folder.Length + 1)..];
            var target = Path.Combine(localDirectory, relative.Replace('/', Path.DirectorySeparatorChar));
            if (entry.IsDir)
            {
                await DownloadDirectoryAsync(artifactUri, entry.Path, target, cancellationToken).ConfigureAwait(false);
            }
            else
            {
                await DownloadFileAsync(artifactUri, entry.Path, target, cancellationToken).ConfigureAwait(false);
            }
        }
    }

    /// <summary>Returns whether the artifact file exists (GET returns 200 rather than 404).</summary>
    internal async Task<bool> FileExistsAsync(string artifactUri, string artifactFilePath, CancellationToken cancellationToken)
    {
        var location = ArtifactLocation.Parse(artifactUri, _transport.TrackingUri);
        var uri = location.GetFileUri(ArtifactPaths.Normalize(artifactFilePath, nameof(artifactFilePath)));
        try
        {
            using var response = await _transport.SendAsync(
                () => new HttpRequestMessage(HttpMethod.Get, uri), retryable: true, HttpCompletionOption.ResponseHeadersRead, null, cancellationToken).ConfigureAwait(false);
            return true;
        }
        catch (MlflowException ex) when (ex.StatusCode == HttpStatusCode.NotFound)
        {
            return false;
        }
    }

    private async Task PutAsync(ArtifactLocation location, string destination, Func<HttpContent> createContent, bool retryable, CancellationToken cancellationToken)
    {
        var uri = location.GetFileUri(destination);
        using var response = await _transport.SendAsync(
            () =>
            {
                var content = createContent();
                content.Headers.ContentType = new MediaTypeHeaderValue("application/octet-stream");
                return new HttpRequestMessage(HttpMethod.Put, uri) { Content = content };
            },
            retryable,
            HttpCompletionOption.ResponseContentRead,
            null,
            cancellationToken).ConfigureAwait(false);
    }
}
