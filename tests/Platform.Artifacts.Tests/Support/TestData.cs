using System.Security.Cryptography;

namespace Platform.Artifacts.Tests.Support;

internal static class TestData
{
    /// <summary>Returns <paramref name="length"/> pseudo-random bytes that depend only on <paramref name="seed"/>.</summary>
    public static byte[] Bytes(int length, int seed = 1)
    {
        var data = new byte[length];
        new Random(seed).NextBytes(data);
        return data;
    }

    public static string Sha256(byte[] data) => Convert.ToHexString(SHA256.HashData(data));

    public static async Task<byte[]> ReadAllAsync(Stream stream)
    {
        using var buffer = new MemoryStream();
        await stream.CopyToAsync(buffer);
        return buffer.ToArray();
    }
}
