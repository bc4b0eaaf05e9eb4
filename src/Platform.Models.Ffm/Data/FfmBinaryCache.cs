using System.Buffers.Binary;
using System.IO.Hashing;
using System.Runtime.InteropServices;

namespace Platform.Models.Ffm.Data;

/// <summary>
/// A binary copy of a parsed text file, so that later runs skip parsing. The header stores a format
/// version and the source file's size and last-write time. A cache is rebuilt from the text when its
/// version or source stamp differs or its payload checksum (XxHash3) fails.
/// </summary>
public static class FfmBinaryCache
{
    /// <summary>"FFMCACHE" in ASCII, read as a little-endian integer.</summary>
    private const ulong Magic = 0x4548434143_4D4646;
    private const int FormatVersion = 1;
    private const int HeaderSize = 64;

    /// <summary>
    /// Returns the data of <paramref name="sourcePath"/>, read from <paramref name="cachePath"/> when
    /// that cache is current, otherwise parsed from the text and written to the cache.
    /// </summary>
    public static async Task<FfmProblem> LoadAsync(
        string sourcePath, string cachePath, FfmParseOptions? options, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrEmpty(sourcePath);
        ArgumentException.ThrowIfNullOrEmpty(cachePath);
        var source = new FileInfo(sourcePath);
        if (!source.Exists)
        {
            throw new FileNotFoundException($"Data file '{sourcePath}' not found.", sourcePath);
        }

        var cached = TryRead(cachePath, source);
        if (cached is not null)
        {
            return cached;
        }

        var problem = await FfmTextParser.ParseFileAsync(sourcePath, options, cancellationToken).ConfigureAwait(false);
        Write(problem, cachePath, source);
        return problem;
    }

    /// <summary>Reads a cache, or returns null when it is missing, of another version, stale or corrupt.</summary>
    public static FfmProblem? TryRead(string cachePath, FileInfo source)
    {
        ArgumentNullException.ThrowIfNull(source);
        if (!File.Exists(cachePath))
        {
            return null;
        }

        using var stream = new FileStream(cachePath, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 16);
        Span<byte> header = stackalloc byte[HeaderSize];
        if (stream.Length < HeaderSize || stream.ReadAtLeast(header, HeaderSize, throwOnEndOfStream: false) < HeaderSize)
        {
            return null;
        }

        if (BinaryPrimitives.ReadUInt64LittleEndian(header) != Magic
            || BinaryPrimitives.ReadInt32LittleEndian(header[8..]) != FormatVersion
            || BinaryPrimitives.ReadInt64LittleEndian(header[12..]) != source.Length
            || BinaryPrimitives.ReadInt64LittleEndian(header[20..]) != source.LastWriteTimeUtc.Ticks)
        {
            return null;
        }

        var rows = BinaryPrimitives.ReadInt32LittleEndian(header[28..]);
        var nodeCount = BinaryPrimitives.ReadInt64LittleEndian(header[32..]);
        var featureCount = BinaryPrimitives.ReadInt32LittleEndian(header[40..]);
        var fieldCount = BinaryPrimitives.ReadInt32LittleEndian(header[44..]);
        var checksum = BinaryPrimitives.ReadUInt64LittleEndian(header[48..]);
        var expectedLength = HeaderSize + ((long)rows * 8) + ((rows + 1L) * 8) + (nodeCount * 12);
        if (rows < 0 || nodeCount < 0 || nodeCount > Array.MaxLength || stream.Length != expectedLength)
        {
            return null;
        }

        var labels = new float[rows];
        var scales = new float[rows];
        var offsets = new long[rows + 1];
        var nodes = GC.AllocateUninitializedArray<FfmNode>((int)nodeCount);
        var hash = new XxHash3();
        ReadInto(stream, MemoryMarshal.AsBytes(labels.AsSpan()), hash);
        ReadInto(stream, MemoryMarshal.AsBytes(scales.AsSpan()), hash);
        ReadInto(stream, MemoryMarshal.AsBytes(offsets.AsSpan()), hash);
        ReadInto(stream, MemoryMarshal.AsBytes(nodes.AsSpan()), hash);
        if (hash.GetCurrentHashAsUInt64() != checksum || offsets[0] != 0 || offsets[rows] != nodeCount)
        {
            return null;
        }

        return new FfmProblem(labels, scales, offsets, nodes, fieldCount, featureCount);
    }

    /// <summary>Writes a cache for <paramref name="problem"/>, stamped with the source file's size and time.</summary>
    public static void Write(FfmProblem problem, string cachePath, FileInfo source)
    {
        ArgumentNullException.ThrowIfNull(problem);
        ArgumentNullException.ThrowIfNull(source);
        if (!BitConverter.IsLittleEndian)
        {
            throw new PlatformNotSupportedException("The FFM binary cache is written in little-endian byte order only.");
        }

        var hash = new XxHash3();
        hash.Append(MemoryMarshal.AsBytes(problem.Labels.AsSpan()));
        hash.Append(MemoryMarshal.AsBytes(problem.Scales.AsSpan()));
        hash.Append(MemoryMarshal.AsBytes(problem.RowOffsets.AsSpan()));
        hash.Append(MemoryMarshal.AsBytes(problem.Nodes.AsSpan()));

        Span<byte> header = stackalloc byte[HeaderSize];
        header.Clear();
        BinaryPrimitives.WriteUInt64LittleEndian(header, Magic);
        BinaryPrimitives.WriteInt32LittleEndian(header[8..], FormatVersion);
        BinaryPrimitives.WriteInt64LittleEndian(header[12..], source.Length);
        BinaryPrimitives.WriteInt64LittleEndian(header[20..], source.LastWriteTimeUtc.Ticks);
        BinaryPrimitives.WriteInt32LittleEndian(header[28..], problem.RowCount);
        BinaryPrimitives.WriteInt64LittleEndian(header[32..], problem.Nodes.LongLength);
        BinaryPrimitives.WriteInt32LittleEndian(header[40..], problem.FeatureCount);
        BinaryPrimitives.WriteInt32LittleEndian(header[44..], problem.FieldCount);
        BinaryPrimitives.WriteUInt64LittleEndian(header[48..], hash.GetCurrentHashAsUInt64());

        // Written under a temporary name and renamed, so a crash never leaves a half-written cache behind.
        var temporaryPath = cachePath + ".tmp-" + Environment.ProcessId;
        using (var stream = new FileStream(temporaryPath, FileMode.Create, FileAccess.Write, FileShare.None, 1 << 16))
        {
            stream.Write(header);
            stream.Write(MemoryMarshal.AsBytes(problem.Labels.AsSpan()));
            stream.Write(MemoryMarshal.AsBytes(problem.Scales.AsSpan()));
            stream.Write(MemoryMarshal.AsBytes(problem.RowOffsets.AsSpan()));
            stream.Write(MemoryMarshal.AsBytes(problem.Nodes.AsSpan()));
        }

        File.Move(temporaryPath, cachePath, overwrite: true);
    }

    private static void ReadInto(Stream stream, Span<byte> destination, XxHash3 hash)
    {
        stream.ReadExactly(destination);
        hash.Append(destination);
    }
}
