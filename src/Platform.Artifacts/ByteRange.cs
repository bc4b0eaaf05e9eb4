using System.Globalization;

namespace Platform.Artifacts;

/// <summary>
/// A single HTTP byte range (RFC 9110 section 14.1.2): either <c>first-last</c>, <c>first-</c> or the
/// suffix form <c>-length</c>. Positions are zero-based and <see cref="Last"/> is inclusive.
/// </summary>
public readonly record struct ByteRange
{
    private ByteRange(long? first, long? last, long? suffixLength)
    {
        First = first;
        Last = last;
        SuffixLength = suffixLength;
    }

    /// <summary>First byte position, or null for a suffix range.</summary>
    public long? First { get; }

    /// <summary>Last byte position (inclusive), or null for "to the end".</summary>
    public long? Last { get; }

    /// <summary>Number of bytes at the end of the artifact, set only for a suffix range.</summary>
    public long? SuffixLength { get; }

    /// <summary>Creates the range <c>first-last</c>, or <c>first-</c> when <paramref name="last"/> is null.</summary>
    public static ByteRange FromPosition(long first, long? last = null)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(first);
        if (last is { } end)
        {
            ArgumentOutOfRangeException.ThrowIfLessThan(end, first);
        }

        return new ByteRange(first, last, null);
    }

    /// <summary>Creates the suffix range <c>-length</c>: the last <paramref name="length"/> bytes.</summary>
    public static ByteRange FromEnd(long length)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(length);
        return new ByteRange(null, null, length);
    }

    /// <summary>
    /// Resolves the range against an artifact of <paramref name="resourceLength"/> bytes and returns the
    /// offset and count to read. Throws a 416 <see cref="ArtifactException"/> when no byte of the range exists.
    /// </summary>
    public (long Offset, long Count) Resolve(long resourceLength)
    {
        if (SuffixLength is { } suffix)
        {
            if (resourceLength == 0)
            {
                throw ArtifactException.RangeNotSatisfiable(this, resourceLength);
            }

            var count = Math.Min(suffix, resourceLength);
            return (resourceLength - count, count);
        }

        var first = First!.Value;
        if (first >= resourceLength)
        {
            throw ArtifactException.RangeNotSatisfiable(this, resourceLength);
        }

        var last = Math.Min(Last ?? long.MaxValue, resourceLength - 1);
        return (first, last - first + 1);
    }

    /// <summary>Formats the range as the value after <c>bytes=</c> in a <c>Range</c> header.</summary>
    public override string ToString() => SuffixLength is { } suffix
        ? string.Create(CultureInfo.InvariantCulture, $"-{suffix}")
        : string.Create(CultureInfo.InvariantCulture, $"{First}-{Last}");
}
