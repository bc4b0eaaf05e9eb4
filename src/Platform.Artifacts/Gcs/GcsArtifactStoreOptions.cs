namespace Platform.Artifacts.Gcs;

/// <summary>Settings of <see cref="GcsArtifactStore"/>.</summary>
public sealed class GcsArtifactStoreOptions
{
    /// <summary>Default upload chunk: 8 MiB, a multiple of the 256 KiB the client requires.</summary>
    public const int DefaultUploadChunkSize = 8 * 1024 * 1024;

    /// <summary>Size of one resumable-upload request in bytes; the client buffers one chunk in memory.</summary>
    public int UploadChunkSize { get; set; } = DefaultUploadChunkSize;

    /// <summary>
    /// Bytes a download may run ahead of the reader before the transfer pauses; this bounds memory per download.
    /// </summary>
    public int DownloadBufferSize { get; set; } = 1024 * 1024;
}
