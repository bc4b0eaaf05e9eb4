using Google.Cloud.Storage.V1;
using Microsoft.Extensions.Logging;
using Platform.Artifacts.Gcs;
using Platform.Artifacts.Local;

namespace Platform.Artifacts;

/// <summary>Creates the store that a destination string names.</summary>
public static class ArtifactStoreFactory
{
    /// <summary>
    /// Creates a <see cref="LocalArtifactStore"/> for a folder path or <c>file:///</c> URI, or a
    /// <see cref="GcsArtifactStore"/> for <c>gs://bucket/prefix</c>. Throws <see cref="ArgumentException"/>
    /// for any other scheme or a malformed destination.
    /// </summary>
    public static IArtifactStore Create(string destination, ArtifactStoreOptions? options = null, ILoggerFactory? loggerFactory = null)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(destination);
        options ??= new ArtifactStoreOptions();

        if (destination.StartsWith(GcsLocation.Scheme + "://", StringComparison.Ordinal))
        {
            var location = GcsLocation.Parse(destination);
            return new GcsArtifactStore(CreateStorageClient(options), location, new GcsArtifactStoreOptions
            {
                UploadChunkSize = options.GcsUploadChunkSize,
            });
        }

        if (destination.StartsWith("file:", StringComparison.OrdinalIgnoreCase))
        {
            if (!Uri.TryCreate(destination, UriKind.Absolute, out var uri) || !uri.IsFile || !string.IsNullOrEmpty(uri.Host))
            {
                throw new ArgumentException(
                    $"Artifact destination '{destination}' is not a valid local file URI. Use the form 'file:///absolute/folder'.", nameof(destination));
            }

            return new LocalArtifactStore(uri.LocalPath, loggerFactory?.CreateLogger<LocalArtifactStore>());
        }

        var schemeEnd = destination.IndexOf("://", StringComparison.Ordinal);
        if (schemeEnd > 0)
        {
            throw new ArgumentException(
                $"Artifact destination '{destination}' uses the unsupported scheme '{destination[..schemeEnd]}'. Use a folder path, 'file:///folder' or 'gs://bucket/prefix'.",
                nameof(destination));
        }

        return new LocalArtifactStore(destination, loggerFactory?.CreateLogger<LocalArtifactStore>());
    }

    private static StorageClient CreateStorageClient(ArtifactStoreOptions options)
    {
        var builder = new StorageClientBuilder();
        if (!string.IsNullOrWhiteSpace(options.GcsBaseUri))
        {
            builder.BaseUri = options.GcsBaseUri;
        }

        // Emulators and the test server take no credentials. Production uses application default
        // credentials, which on GKE come from Workload Identity.
        builder.UnauthenticatedAccess = options.GcsUnauthenticatedAccess ?? !string.IsNullOrWhiteSpace(options.GcsBaseUri);
        return builder.Build();
    }
}
