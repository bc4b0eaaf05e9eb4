namespace Platform.Artifacts;

/// <summary>What an artifact path names in a store.</summary>
public enum ArtifactEntryKind
{
    /// <summary>Nothing exists at the path.</summary>
    None,

    /// <summary>A file with content.</summary>
    File,

    /// <summary>A folder, which in GCS means at least one object under the path followed by '/'.</summary>
    Folder,
}
