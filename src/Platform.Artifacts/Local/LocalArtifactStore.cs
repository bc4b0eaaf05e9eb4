using System.Runtime.CompilerServices;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace Platform.Artifacts.Local;

/// <summary>
/// Stores artifacts as files under a root folder. Writes go to a staging file that is renamed over the
/// target, so readers never see a partial file. The staging folder sits under the root, and keys whose
/// first segment is its name are rejected.
/// </summary>
public sealed partial class LocalArtifactStore : IArtifactStore
{
    /// <summary>Name of the folder under the root that contains in-progress writes.</summary>
    public const string StagingFolderName = ".artifact-staging";

    private const int CopyBufferSize = 128 * 1024;

    private readonly string _root;
    private readonly string _rootWithSeparator;
    private readonly string _staging;
    private readonly ILogger _logger;

    /// <summary>Creates a store rooted at <paramref name="rootPath"/>, creating the folder if needed.</summary>
    public LocalArtifactStore(string rootPath, ILogger<LocalArtifactStore>? logger = null)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(rootPath);
        _logger = logger ?? NullLogger<LocalArtifactStore>.Instance;
        _root = Path.TrimEndingDirectorySeparator(Path.GetFullPath(rootPath));
        _rootWithSeparator = _root + Path.DirectorySeparatorChar;
        _staging = Path.Combine(_root, StagingFolderName);
        Directory.CreateDirectory(_root);
        RootUri = new Uri(_rootWithSeparator).AbsoluteUri.TrimEnd('/');
    }

    /// <summary>Full path of the root folder.</summary>
    public string RootPath => _root;

    /// <inheritdoc />
    public string RootUri { get; }

    /// <inheritdoc />
    public async Task WriteAsync(ArtifactPath path, Stream content, string? contentType, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(content);
        var target = ResolveFile(path);
        EnsureParentFolders(path);
        Directory.CreateDirectory(_staging);

        var staging = Path.Combine(_staging, $"{Guid.NewGuid():N}.partial");
        try
        {
            var fileOptions = new FileStreamOptions
            {
                Mode = FileMode.CreateNew,
                Access = FileAccess.Write,
                Share = FileShare.None,
                Options = FileOptions.Asynchronous,
                BufferSize = 0,
            };
            await using (var file = new FileStream(staging, fileOptions))
            {
                await content.CopyToAsync(file, CopyBufferSize, cancellationToken).ConfigureAwait(false);

                // Flush to disk before the rename, so a crash cannot leave a renamed but empty file.
                file.Flush(flushToDisk: true);
            }

            if (Directory.Exists(target))
            {
                throw ArtifactException.InvalidParameter(
                    $"Cannot write artifact '{path}': a folder with that path exists. Delete the folder first or choose another file name.");
            }

            File.Move(staging, target, overwrite: true);
        }
        catch
        {
            TryDeleteFile(staging);
            throw;
        }
    }

    /// <inheritdoc />
    public Task<ArtifactContent> OpenReadAsync(ArtifactPath path, ByteRange? range, CancellationToken cancellationToken)
    {
        var target = ResolveFile(path);
        if (Directory.Exists(target))
        {
            throw ArtifactException.InvalidParameter(
                $"Artifact path '{path}' is a folder, not a file. List it with GET /api/2.0/mlflow-artifacts/artifacts?path={path}.");
        }

        FileStream file;
        try
        {
            file = new FileStream(target, new FileStreamOptions
            {
                Mode = FileMode.Open,
                Access = FileAccess.Read,
                Share = FileShare.Read | FileShare.Delete,
                Options = FileOptions.Asynchronous | FileOptions.SequentialScan,
                BufferSize = 0,
            });
        }
        catch (Exception ex) when (ex is FileNotFoundException or DirectoryNotFoundException)
        {
            throw ArtifactException.NotFound($"Artifact '{path}' does not exist.", ex);
        }

        try
        {
            var totalLength = file.Length;
            var (offset, count) = range is { } r ? r.Resolve(totalLength) : (0L, totalLength);
            file.Seek(offset, SeekOrigin.Begin);
            Stream stream = count == totalLength ? file : new BoundedReadStream(file, count);
            return Task.FromResult(new ArtifactContent(stream, offset, count, totalLength, contentType: null));
        }
        catch
        {
            file.Dispose();
            throw;
        }
    }

    /// <inheritdoc />
    public async IAsyncEnumerable<ArtifactFileInfo> ListAsync(ArtifactPath folder, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        var directory = new DirectoryInfo(ResolveFolder(folder));
        if (!directory.Exists)
        {
            yield break;
        }

        var entries = directory.EnumerateFileSystemInfos()
            .Where(entry => !(folder.IsRoot && entry.Name == StagingFolderName))
            .OrderBy(entry => entry.Name, StringComparer.Ordinal);
        foreach (var entry in entries)
        {
            cancellationToken.ThrowIfCancellationRequested();

            // Links are skipped: this store never creates them, and following one could leave the root.
            if (entry.LinkTarget is not null)
            {
                continue;
            }

            var childPath = folder.IsRoot ? entry.Name : $"{folder.Value}/{entry.Name}";
            yield return entry is FileInfo file
                ? new ArtifactFileInfo(childPath, IsDir: false, file.Length)
                : new ArtifactFileInfo(childPath, IsDir: true, FileSize: null);
        }

        await Task.CompletedTask.ConfigureAwait(false);
    }

    /// <inheritdoc />
    public Task<bool> DeleteAsync(ArtifactPath path, CancellationToken cancellationToken)
    {
        var target = path.IsRoot ? _root : ResolveFile(path);
        if (File.Exists(target))
        {
            File.Delete(target);
            return Task.FromResult(true);
        }

        if (!Directory.Exists(target))
        {
            return Task.FromResult(false);
        }

        if (path.IsRoot)
        {
            // The root itself stays, so the staging folder and later writes keep working.
            foreach (var entry in new DirectoryInfo(_root).EnumerateFileSystemInfos().Where(e => e.Name != StagingFolderName))
            {
                DeleteEntry(entry);
            }
        }
        else
        {
            Directory.Delete(target, recursive: true);
        }

        return Task.FromResult(true);
    }

    /// <inheritdoc />
    public Task<ArtifactEntryKind> GetEntryKindAsync(ArtifactPath path, CancellationToken cancellationToken)
    {
        var target = path.IsRoot ? _root : ResolveFile(path);
        var kind = File.Exists(target) ? ArtifactEntryKind.File
            : Directory.Exists(target) ? ArtifactEntryKind.Folder
            : ArtifactEntryKind.None;
        return Task.FromResult(kind);
    }

    private string ResolveFolder(ArtifactPath folder) => folder.IsRoot ? _root : ResolveFile(folder);

    private string ResolveFile(ArtifactPath path)
    {
        ArgumentNullException.ThrowIfNull(path);
        if (path.IsRoot)
        {
            throw ArtifactException.InvalidParameter("The artifact path is empty. Send the path of a file below the artifact root.");
        }

        if (path.Segments[0] == StagingFolderName)
        {
            throw ArtifactException.InvalidParameter(
                $"Artifact path '{path}' starts with the reserved folder name '{StagingFolderName}'. Choose another folder name.");
        }

        var fullPath = Path.GetFullPath(Path.Combine(_root, path.Value.Replace('/', Path.DirectorySeparatorChar)));

        // ArtifactPath already rejects '..' and absolute paths. This check keeps the store safe on its own.
        if (!fullPath.StartsWith(_rootWithSeparator, StringComparison.Ordinal))
        {
            throw ArtifactException.InvalidParameter($"Artifact path '{path}' resolves outside the artifact root.");
        }

        RejectLinks(path, fullPath);
        return fullPath;
    }

    // A link inside the root (made by someone with shell access) could point anywhere, so no existing
    // segment of the path may be one.
    private void RejectLinks(ArtifactPath path, string fullPath)
    {
        var current = fullPath;
        while (current.Length > _root.Length)
        {
            var info = new FileInfo(current);
            if (info.Exists || Directory.Exists(current))
            {
                if (info.LinkTarget is not null)
                {
                    throw ArtifactException.InvalidParameter(
                        $"Artifact path '{path}' passes through a symbolic link, which this store does not follow.");
                }
            }

            current = Path.GetDirectoryName(current)!;
        }
    }

    private void EnsureParentFolders(ArtifactPath path)
    {
        var current = _root;
        var segments = path.Segments;
        for (var i = 0; i < segments.Count - 1; i++)
        {
            current = Path.Combine(current, segments[i]);
            if (File.Exists(current))
            {
                throw ArtifactException.InvalidParameter(
                    $"Cannot write artifact '{path}': '{string.Join('/', segments.Take(i + 1))}' is a file, not a folder.");
            }
        }

        Directory.CreateDirectory(Path.GetDirectoryName(Path.Combine(_root, path.Value.Replace('/', Path.DirectorySeparatorChar)))!);
    }

    private static void DeleteEntry(FileSystemInfo entry)
    {
        if (entry is DirectoryInfo directory && entry.LinkTarget is null)
        {
            directory.Delete(recursive: true);
        }
        else
        {
            entry.Delete();
        }
    }

    private void TryDeleteFile(string path)
    {
        try
        {
            File.Delete(path);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            // The staging file stays behind, but it is never listed or served.
            StagingFileNotDeleted(_logger, ex, path);
        }
    }

    [LoggerMessage(EventId = 4150, EventName = "StagingFileNotDeleted", Level = LogLevel.Warning,
        Message = "Failed to delete the staging file {StagingPath} of a failed write. Delete it by hand")]
    private static partial void StagingFileNotDeleted(ILogger logger, Exception exception, string stagingPath);
}
