namespace Platform.Artifacts;

/// <summary>Settings of the artifact store and its endpoints, bound from the <c>Artifacts</c> configuration section.</summary>
public sealed class ArtifactStoreOptions
{
    /// <summary>Configuration section name.</summary>
    public const string SectionName = "Artifacts";

    /// <summary>Where artifacts live: a folder path, a <c>file:///</c> URI or <c>gs://bucket/prefix</c>.</summary>
    public string? Destination { get; set; }

    /// <summary>
    /// GCS JSON API endpoint, for example <c>http://127.0.0.1:4443/storage/v1/</c> for an emulator. When
    /// empty, the client uses the public endpoint with application default credentials.
    /// </summary>
    public string? GcsBaseUri { get; set; }

    /// <summary>
    /// Whether GCS requests go without credentials. Null means true when <see cref="GcsBaseUri"/> is set
    /// (emulators take no credentials) and false otherwise.
    /// </summary>
    public bool? GcsUnauthenticatedAccess { get; set; }

    /// <summary>Bytes per GCS resumable-upload request, a positive multiple of 262144 (256 KiB).</summary>
    public int GcsUploadChunkSize { get; set; } = Gcs.GcsArtifactStoreOptions.DefaultUploadChunkSize;

    /// <summary>Largest accepted upload body in bytes. Null means no limit, as in MLflow's server.</summary>
    public long? MaxUploadBytes { get; set; }
}
