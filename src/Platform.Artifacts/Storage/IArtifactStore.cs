namespace Platform.Artifacts;

/// <summary>
/// Streams artifacts to and from one destination (a local folder or a GCS prefix). Every
/// <see cref="ArtifactPath"/> is resolved under the store's root, which is the tenant's prefix.
/// Failures the caller can fix surface as <see cref="ArtifactException"/>.
/// </summary>
public interface IArtifactStore
{
    /// <summary>Root of the store as a URI, for example <c>file:///data/artifacts</c> or <c>gs://bucket/tenants/alice</c>.</summary>
    string RootUri { get; }

    /// <summary>
    /// Writes <paramref name="content"/> to <paramref name="path"/>, replacing an existing file. Readers see
    /// either the old or the complete new content, and a failed or cancelled write leaves the old content.
    /// </summary>
    Task WriteAsync(ArtifactPath path, Stream content, string? contentType, CancellationToken cancellationToken);

    /// <summary>
    /// Opens <paramref name="path"/> for reading, optionally only <paramref name="range"/>. Throws
    /// RESOURCE_DOES_NOT_EXIST when there is no such file and INVALID_PARAMETER_VALUE when it is a folder.
    /// </summary>
    Task<ArtifactContent> OpenReadAsync(ArtifactPath path, ByteRange? range, CancellationToken cancellationToken);

    /// <summary>
    /// Lists the direct children of <paramref name="folder"/>: files with sizes and sub-folders, with paths
    /// relative to the store root. A folder that does not exist lists as empty, as in MLflow.
    /// </summary>
    IAsyncEnumerable<ArtifactFileInfo> ListAsync(ArtifactPath folder, CancellationToken cancellationToken);

    /// <summary>
    /// Deletes the file or the whole folder at <paramref name="path"/> and returns whether anything existed.
    /// </summary>
    Task<bool> DeleteAsync(ArtifactPath path, CancellationToken cancellationToken);

    /// <summary>Returns whether <paramref name="path"/> is a file, a folder or nothing.</summary>
    Task<ArtifactEntryKind> GetEntryKindAsync(ArtifactPath path, CancellationToken cancellationToken);
}
