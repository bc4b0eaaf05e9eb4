namespace Platform.Artifacts;

/// <summary>
/// An open artifact read: the stream yields exactly <see cref="Length"/> bytes starting at
/// <see cref="Offset"/>. Disposing it stops any transfer still running.
/// </summary>
public sealed class ArtifactContent : IAsyncDisposable
{
    /// <summary>Wraps an open stream with the position and sizes of the bytes it yields.</summary>
    public ArtifactContent(Stream stream, long offset, long length, long totalLength, string? contentType)
    {
        ArgumentNullException.ThrowIfNull(stream);
        Stream = stream;
        Offset = offset;
        Length = length;
        TotalLength = totalLength;
        ContentType = contentType;
    }

    /// <summary>The bytes of the file or of the requested range.</summary>
    public Stream Stream { get; }

    /// <summary>Position of the first byte in the file.</summary>
    public long Offset { get; }

    /// <summary>Number of bytes <see cref="Stream"/> yields.</summary>
    public long Length { get; }

    /// <summary>Size of the whole file in bytes.</summary>
    public long TotalLength { get; }

    /// <summary>Content type stored with the file, when the store keeps one.</summary>
    public string? ContentType { get; }

    /// <inheritdoc />
    public ValueTask DisposeAsync() => Stream.DisposeAsync();
}
