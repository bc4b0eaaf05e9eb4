using System.Buffers.Binary;

namespace Platform.Testing.Gcs;

/// <summary>
/// CRC-32C (Castagnoli, reflected polynomial 0x82F63B78), the checksum GCS reports in <c>crc32c</c> and
/// <c>X-Goog-Hash</c>. The standard library has only the IEEE CRC-32, so this is a small table-driven copy.
/// </summary>
public sealed class Crc32C
{
    private static readonly uint[] Table = BuildTable();

    private uint _state = 0xFFFFFFFFu;

    /// <summary>Adds <paramref name="data"/> to the checksum.</summary>
    public void Append(ReadOnlySpan<byte> data)
    {
        var crc = _state;
        foreach (var b in data)
        {
            crc = Table[(crc ^ b) & 0xFF] ^ (crc >> 8);
        }

        _state = crc;
    }

    /// <summary>Returns the checksum of all bytes appended so far.</summary>
    public uint GetCurrentValue() => ~_state;

    /// <summary>Returns the checksum as GCS writes it: base64 of the four big-endian bytes.</summary>
    public static string ToBase64(uint value)
    {
        Span<byte> bytes = stackalloc byte[4];
        BinaryPrimitives.WriteUInt32BigEndian(bytes, value);
        return Convert.ToBase64String(bytes);
    }

    private static uint[] BuildTable()
    {
        var table = new uint[256];
        for (uint i = 0; i < 256; i++)
        {
            var value = i;
            for (var bit = 0; bit < 8; bit++)
            {
                value = (value & 1) != 0 ? 0x82F63B78u ^ (value >> 1) : value >> 1;
            }

            table[i] = value;
        }

        return table;
    }
}
