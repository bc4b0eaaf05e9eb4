using System.Security.Cryptography;

namespace Platform.Testing.Gcs;

/// <summary>
/// A resumable upload in progress: the bytes received so far (in a temp file) and running hashes of them.
/// Chunk requests for one session are serialized through <see cref="Gate"/>.
/// </summary>
public sealed class GcsUploadSession : IDisposable
{
    private readonly IncrementalHash _md5 = IncrementalHash.CreateHash(HashAlgorithmName.MD5);
    private readonly Crc32C _crc32c = new();

    internal GcsUploadSession(string id, string bucket, string name, string contentType, long? declaredLength, long? ifGenerationMatch, string tempPath)
    {
        Id = id;
        Bucket = bucket;
        Name = name;
        ContentType = contentType;
        DeclaredLength = declaredLength;
        IfGenerationMatch = ifGenerationMatch;
        TempPath = tempPath;
        File.WriteAllBytes(tempPath, []);
    }

    /// <summary>The <c>upload_id</c> query value of the session URI.</summary>
    public string Id { get; }

    /// <summary>Target bucket.</summary>
    public string Bucket { get; }

    /// <summary>Target object name.</summary>
    public string Name { get; }

    /// <summary>Content type of the object to create.</summary>
    public string ContentType { get; }

    /// <summary>Total size from <c>X-Upload-Content-Length</c>, when the client sent one.</summary>
    public long? DeclaredLength { get; }

    /// <summary>Generation precondition from the initiating request.</summary>
    public long? IfGenerationMatch { get; }

    /// <summary>File with the bytes received so far.</summary>
    public string TempPath { get; }

    /// <summary>Number of bytes persisted. The next chunk must start at or before this offset.</summary>
    public long Committed { get; private set; }

    /// <summary>The created object once the last chunk arrived.</summary>
    public GcsStoredObject? Result { get; internal set; }

    /// <summary>Serializes chunk requests of this session.</summary>
    public SemaphoreSlim Gate { get; } = new(1, 1);

    /// <summary>Appends received bytes and updates the hashes.</summary>
    public void Append(ReadOnlySpan<byte> data)
    {
        _md5.AppendData(data);
        _crc32c.Append(data);
        Committed += data.Length;
    }

    /// <summary>Returns the MD5 of the bytes received so far (usable once, at the end).</summary>
    public byte[] FinishMd5() => _md5.GetHashAndReset();

    /// <summary>Returns the CRC-32C of the bytes received so far.</summary>
    public uint Crc32CValue => _crc32c.GetCurrentValue();

    /// <inheritdoc />
    public void Dispose()
    {
        // Gate stays undisposed: a request that cancels the session still holds and releases it, and a
        // SemaphoreSlim without a wait handle owns nothing to free.
        _md5.Dispose();
    }
}
