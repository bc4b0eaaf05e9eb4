namespace Platform.Testing.Gcs;

/// <summary>One object version in the test server, whose content is the file at <see cref="DataPath"/>.</summary>
public sealed record GcsStoredObject(
    string Bucket,
    string Name,
    long Generation,
    string ContentType,
    long Size,
    byte[] Md5,
    uint Crc32C,
    DateTimeOffset Created,
    string DataPath);
