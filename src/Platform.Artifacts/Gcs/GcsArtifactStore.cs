using System.Net;
using System.Net.Http.Headers;
using System.Runtime.CompilerServices;
using Google;
using Google.Cloud.Storage.V1;
using GcsObject = Google.Apis.Storage.v1.Data.Object;

namespace Platform.Artifacts.Gcs;

/// <summary>
/// Stores artifacts as objects under <c>gs://bucket/prefix</c> through <see cref="StorageClient"/>.
/// Uploads are resumable uploads sent in chunks of <see cref="GcsArtifactStoreOptions.UploadChunkSize"/>,
/// and downloads stream through a bounded pipe, so memory per transfer stays near one chunk.
/// </summary>
public sealed class GcsArtifactStore : IArtifactStore
{
    private const string DefaultContentType = "application/octet-stream";

    private readonly StorageClient _client;
    private readonly GcsLocation _location;
    private readonly GcsArtifactStoreOptions _options;

    /// <summary>Creates a store for <paramref name="location"/> that sends requests through <paramref name="client"/>.</summary>
    public GcsArtifactStore(StorageClient client, GcsLocation location, GcsArtifactStoreOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(client);
        ArgumentNullException.ThrowIfNull(location);
        _client = client;
        _location = location;
        _options = options ?? new GcsArtifactStoreOptions();
        if (_options.UploadChunkSize <= 0 || _options.UploadChunkSize % UploadObjectOptions.MinimumChunkSize != 0)
        {
            throw new ArgumentException(
                $"UploadChunkSize {_options.UploadChunkSize} is invalid: it must be a positive multiple of {UploadObjectOptions.MinimumChunkSize} bytes (256 KiB).",
                nameof(options));
        }

        ArgumentOutOfRangeException.ThrowIfLessThan(_options.DownloadBufferSize, 64 * 1024, nameof(options));
        ArgumentOutOfRangeException.ThrowIfLessThan(_options.DownloadChunkSize, 64 * 1024, nameof(options));
    }

    /// <summary>Bucket and prefix that confine every object this store touches.</summary>
    public GcsLocation Location => _location;

    /// <inheritdoc />
    public string RootUri => _location.ToString();

    /// <inheritdoc />
    public async Task WriteAsync(ArtifactPath path, Stream content, string? contentType, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(content);
        var name = FileObjectName(path);
        var options = new UploadObjectOptions { ChunkSize = _options.UploadChunkSize };
        await _client.UploadObjectAsync(
            _location.Bucket, name, string.IsNullOrEmpty(contentType) ? DefaultContentType : contentType, content, options, cancellationToken)
            .ConfigureAwait(false);
    }

    /// <inheritdoc />
    public async Task<ArtifactContent> OpenReadAsync(ArtifactPath path, ByteRange? range, CancellationToken cancellationToken)
    {
        var name = FileObjectName(path);
        var metadata = await GetObjectOrNullAsync(name, cancellationToken).ConfigureAwait(false);
        if (metadata is null)
        {
            if (await HasObjectsUnderAsync(path, cancellationToken).ConfigureAwait(false))
            {
                throw ArtifactException.InvalidParameter(
                    $"Artifact path '{path}' is a folder, not a file. List it with GET /api/2.0/mlflow-artifacts/artifacts?path={path}.");
            }

            throw ArtifactException.NotFound($"Artifact '{path}' does not exist.");
        }

        var totalLength = checked((long)(metadata.Size ?? 0));
        var (offset, count) = range is { } r ? r.Resolve(totalLength) : (0L, totalLength);
        if (count == 0)
        {
            return new ArtifactContent(Stream.Null, 0, 0, 0, metadata.ContentType);
        }

        // Pinning the generation keeps every chunk of the download on the same object version.
        var download = new DownloadObjectOptions { Generation = metadata.Generation, ChunkSize = _options.DownloadChunkSize };
        if (count != totalLength)
        {
            download.Range = new RangeHeaderValue(offset, offset + count - 1);
        }

        var stream = new PipeDownloadStream(
            _options.DownloadBufferSize,
            (destination, token) => _client.DownloadObjectAsync(_location.Bucket, name, destination, download, token));
        return new ArtifactContent(stream, offset, count, totalLength, metadata.ContentType);
    }

    /// <inheritdoc />
    public async IAsyncEnumerable<ArtifactFileInfo> ListAsync(ArtifactPath folder, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(folder);
        var prefix = _location.FolderPrefix(folder);
        var pages = _client.ListObjectsAsync(_location.Bucket, prefix, new ListObjectsOptions { Delimiter = "/" }).AsRawResponses();
        await foreach (var page in pages.WithCancellation(cancellationToken).ConfigureAwait(false))
        {
            foreach (var subfolder in page.Prefixes ?? [])
            {
                var name = subfolder[prefix.Length..].TrimEnd('/');
                if (name.Length > 0)
                {
                    yield return new ArtifactFileInfo(Join(folder, name), IsDir: true, FileSize: null);
                }
            }

            foreach (var item in page.Items ?? [])
            {
                // An object named exactly like the folder prefix is a console-made folder placeholder.
                var name = item.Name[prefix.Length..];
                if (name.Length > 0)
                {
                    yield return new ArtifactFileInfo(Join(folder, name), IsDir: false, checked((long)(item.Size ?? 0)));
                }
            }
        }
    }

    /// <inheritdoc />
    public async Task<bool> DeleteAsync(ArtifactPath path, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(path);
        var deleted = false;
        if (!path.IsRoot)
        {
            deleted = await DeleteObjectIfExistsAsync(_location.ObjectName(path), cancellationToken).ConfigureAwait(false);
        }

        // GCS allows an object and a "folder" of the same name, so deleting the path removes both.
        var prefix = _location.FolderPrefix(path);
        var objects = _client.ListObjectsAsync(_location.Bucket, prefix, new ListObjectsOptions { Fields = "items(name),nextPageToken" });
        await foreach (var item in objects.WithCancellation(cancellationToken).ConfigureAwait(false))
        {
            deleted |= await DeleteObjectIfExistsAsync(item.Name, cancellationToken).ConfigureAwait(false);
        }

        return deleted;
    }

    /// <inheritdoc />
    public async Task<ArtifactEntryKind> GetEntryKindAsync(ArtifactPath path, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(path);
        if (!path.IsRoot && await GetObjectOrNullAsync(_location.ObjectName(path), cancellationToken).ConfigureAwait(false) is not null)
        {
            return ArtifactEntryKind.File;
        }

        return await HasObjectsUnderAsync(path, cancellationToken).ConfigureAwait(false)
            ? ArtifactEntryKind.Folder
            : ArtifactEntryKind.None;
    }

    private string FileObjectName(ArtifactPath path)
    {
        ArgumentNullException.ThrowIfNull(path);
        if (path.IsRoot)
        {
            throw ArtifactException.InvalidParameter("The artifact path is empty. Send the path of a file below the artifact root.");
        }

        return _location.ObjectName(path);
    }

    private async Task<GcsObject?> GetObjectOrNullAsync(string name, CancellationToken cancellationToken)
    {
        try
        {
            return await _client.GetObjectAsync(_location.Bucket, name, options: null, cancellationToken).ConfigureAwait(false);
        }
        catch (GoogleApiException ex) when (ex.HttpStatusCode == HttpStatusCode.NotFound)
        {
            return null;
        }
    }

    private async Task<bool> HasObjectsUnderAsync(ArtifactPath folder, CancellationToken cancellationToken)
    {
        var options = new ListObjectsOptions { PageSize = 1, Fields = "items(name),prefixes" };
        var pages = _client.ListObjectsAsync(_location.Bucket, _location.FolderPrefix(folder), options).AsRawResponses();
        await foreach (var page in pages.WithCancellation(cancellationToken).ConfigureAwait(false))
        {
            return page.Items is { Count: > 0 };
        }

        return false;
    }

    private async Task<bool> DeleteObjectIfExistsAsync(string name, CancellationToken cancellationToken)
    {
        try
        {
            await _client.DeleteObjectAsync(_location.Bucket, name, options: null, cancellationToken).ConfigureAwait(false);
            return true;
        }
        catch (GoogleApiException ex) when (ex.HttpStatusCode == HttpStatusCode.NotFound)
        {
            return false;
        }
    }

    private static string Join(ArtifactPath folder, string name) => folder.IsRoot ? name : $"{folder.Value}/{name}";
}
