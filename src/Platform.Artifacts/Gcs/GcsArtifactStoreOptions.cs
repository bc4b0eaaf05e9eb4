namespace Platform.Artifacts.Gcs;

/// <summary>Settings of <see cref="GcsArtifactStore"/>.</summary>
public sealed class GcsArtifactStoreOptions
{
    /// <summary>Default upload chunk: 8 MiB, a multiple of the 256 KiB the client requires.</summary>
    public const int DefaultUploadChunkSize = 8 * 1024 * 1024;

    /// <summary>Size of one resumable-upload request in bytes. The client buffers one chunk in memory.</summary>
    public int UploadChunkSize { get; set; } = DefaultUploadChunkSize;

    /// <summary>
    /// Read buffer of one download in bytes. The client's default is 10 MB per download, so a smaller
    /// buffer keeps concurrent downloads cheap.
    /// </summary>
    public int DownloadChunkSize { get; set; } = 1024 * 1024;

    /// <summary>
    /// Bytes a download may run ahead of the reader before the transfer pauses, which bounds memory per download.
    /// </summary>
    public int DownloadBufferSize { get; set; } = 1024 * 1024;
}
