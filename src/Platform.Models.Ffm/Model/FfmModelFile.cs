using System.Buffers.Binary;
using System.IO.Hashing;
using System.Runtime.InteropServices;

namespace Platform.Models.Ffm.Model;

/// <summary>
/// The platform's model file, little-endian: a 64-byte header (magic "LPFFMMDL", format version,
/// n, m, k, k_aligned, normalisation, loss, negative down-sampling rate), the n·m·k_aligned·2
/// floats of <see cref="FfmModel.Parameters"/> (weights and AdaGrad state, so training can resume),
/// then the XxHash3 checksum of everything before it.
/// </summary>
public static class FfmModelFile
{
    /// <summary>The format version this code writes and reads.</summary>
    public const int FormatVersion = 1;

    /// <summary>"LPFFMMDL" in ASCII, read as a little-endian integer.</summary>
    private const ulong Magic = 0x4C444D4D_4646504C;
    private const int HeaderSize = 64;

    /// <summary>Writes <paramref name="model"/> to <paramref name="path"/>, replacing the file at once when complete.</summary>
    public static async Task SaveAsync(FfmModel model, string path, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentException.ThrowIfNullOrEmpty(path);
        var temporaryPath = path + ".tmp-" + Environment.ProcessId;
        await using (var stream = new FileStream(temporaryPath, FileMode.Create, FileAccess.Write, FileShare.None, 1 << 16, useAsync: true))
        {
            await SaveAsync(model, stream, cancellationToken).ConfigureAwait(false);
        }

        File.Move(temporaryPath, path, overwrite: true);
    }

    /// <summary>Writes <paramref name="model"/> to a stream.</summary>
    public static async Task SaveAsync(FfmModel model, Stream stream, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(stream);
        var header = new byte[HeaderSize];
        BinaryPrimitives.WriteUInt64LittleEndian(header, Magic);
        BinaryPrimitives.WriteInt32LittleEndian(header.AsSpan(8), FormatVersion);
        BinaryPrimitives.WriteInt32LittleEndian(header.AsSpan(12), model.FeatureCount);
        BinaryPrimitives.WriteInt32LittleEndian(header.AsSpan(16), model.FieldCount);
        BinaryPrimitives.WriteInt32LittleEndian(header.AsSpan(20), model.LatentDimension);
        BinaryPrimitives.WriteInt32LittleEndian(header.AsSpan(24), model.AlignedLatentDimension);
        header[28] = model.Normalization ? (byte)1 : (byte)0;
        header[29] = (byte)model.Loss;
        BinaryPrimitives.WriteSingleLittleEndian(header.AsSpan(32), model.NdsRate);

        var hash = new XxHash3();
        hash.Append(header);
        await stream.WriteAsync(header, cancellationToken).ConfigureAwait(false);

        // Written in slices so that a large model needs no second copy in memory.
        var buffer = new byte[1 << 20];
        for (var offset = 0; offset < model.ParameterCount; offset += buffer.Length / sizeof(float))
        {
            var count = Math.Min(buffer.Length / sizeof(float), model.ParameterCount - offset);
            var bytes = buffer.AsMemory(0, count * sizeof(float));
            MemoryMarshal.AsBytes(model.Parameters.Slice(offset, count)).CopyTo(bytes.Span);
            hash.Append(bytes.Span);
            await stream.WriteAsync(bytes, cancellationToken).ConfigureAwait(false);
        }

        var checksum = new byte[sizeof(ulong)];
        BinaryPrimitives.WriteUInt64LittleEndian(checksum, hash.GetCurrentHashAsUInt64());
        await stream.WriteAsync(checksum, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Reads a model file; raises <see cref="FfmModelFormatException"/> when it is not a valid model.</summary>
    public static async Task<FfmModel> LoadAsync(string path, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        await using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 16, useAsync: true);
        return await LoadAsync(stream, Path.GetFileName(path), cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Reads a model from a stream; <paramref name="source"/> names it in error messages.</summary>
    public static async Task<FfmModel> LoadAsync(Stream stream, string source, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(stream);
        var header = new byte[HeaderSize];
        if (await stream.ReadAtLeastAsync(header, HeaderSize, throwOnEndOfStream: false, cancellationToken).ConfigureAwait(false) < HeaderSize
            || BinaryPrimitives.ReadUInt64LittleEndian(header) != Magic)
        {
            throw new FfmModelFormatException(
                $"{source} is not a platform FFM model file (missing the 'LPFFMMDL' header); use LibffmModelFormat.ImportAsync for libffm models.");
        }

        var version = BinaryPrimitives.ReadInt32LittleEndian(header.AsSpan(8));
        if (version != FormatVersion)
        {
            throw new FfmModelFormatException($"{source} has model format version {version}; this build reads version {FormatVersion} only.");
        }

        var featureCount = BinaryPrimitives.ReadInt32LittleEndian(header.AsSpan(12));
        var fieldCount = BinaryPrimitives.ReadInt32LittleEndian(header.AsSpan(16));
        var latentDimension = BinaryPrimitives.ReadInt32LittleEndian(header.AsSpan(20));
        var alignedLatentDimension = BinaryPrimitives.ReadInt32LittleEndian(header.AsSpan(24));
        if (featureCount < 0 || fieldCount < 0 || latentDimension <= 0 || alignedLatentDimension != FfmModel.AlignLatentDimension(latentDimension))
        {
            throw new FfmModelFormatException(
                $"{source} has an invalid header: n = {featureCount}, m = {fieldCount}, k = {latentDimension}, k_aligned = {alignedLatentDimension}.");
        }

        var model = FfmModel.CreateEmpty(featureCount, fieldCount, latentDimension, header[28] != 0);
        model.Loss = (FfmLoss)header[29];
        model.NdsRate = BinaryPrimitives.ReadSingleLittleEndian(header.AsSpan(32));

        var hash = new XxHash3();
        hash.Append(header);
        var buffer = new byte[1 << 20];
        for (var offset = 0; offset < model.ParameterCount; offset += buffer.Length / sizeof(float))
        {
            var count = Math.Min(buffer.Length / sizeof(float), model.ParameterCount - offset);
            var bytes = buffer.AsMemory(0, count * sizeof(float));
            if (await stream.ReadAtLeastAsync(bytes, bytes.Length, throwOnEndOfStream: false, cancellationToken).ConfigureAwait(false) < bytes.Length)
            {
                throw new FfmModelFormatException($"{source} is truncated: the header promises {model.ParameterCount} parameters.");
            }

            hash.Append(bytes.Span);
            MemoryMarshal.Cast<byte, float>(bytes.Span).CopyTo(model.Parameters.Slice(offset, count));
        }

        var checksum = new byte[sizeof(ulong)];
        if (await stream.ReadAtLeastAsync(checksum, checksum.Length, throwOnEndOfStream: false, cancellationToken).ConfigureAwait(false) < checksum.Length
            || BinaryPrimitives.ReadUInt64LittleEndian(checksum) != hash.GetCurrentHashAsUInt64())
        {
            throw new FfmModelFormatException($"{source} failed its checksum: the file is truncated or corrupt.");
        }

        return model;
    }
}
