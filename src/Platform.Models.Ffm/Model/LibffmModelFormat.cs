using System.Buffers.Binary;
using System.Runtime.InteropServices;

namespace Platform.Models.Ffm.Model;

/// <summary>
/// libffm 1.21's binary model (<c>ffm_save_model</c>): int32 n, int32 m, int32 k, a 1-byte
/// normalisation flag, then the n·m·k_aligned·2 floats of its weight buffer, native (little-endian)
/// byte order, no checksum.
/// </summary>
public static class LibffmModelFormat
{
    private const int HeaderSize = 13;

    /// <summary>Reads a libffm model file so that it can be served or trained further.</summary>
    public static async Task<FfmModel> ImportAsync(string path, LibffmLayout layout, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        var bytes = await File.ReadAllBytesAsync(path, cancellationToken).ConfigureAwait(false);
        return Import(bytes, Path.GetFileName(path), layout);
    }

    /// <summary>Parses the bytes of a libffm model file; <paramref name="source"/> names it in error messages.</summary>
    public static FfmModel Import(ReadOnlySpan<byte> bytes, string source, LibffmLayout layout)
    {
        if (bytes.Length < HeaderSize)
        {
            throw new FfmModelFormatException($"{source} is too short for a libffm model: {bytes.Length} bytes, the header alone is {HeaderSize}.");
        }

        var featureCount = BinaryPrimitives.ReadInt32LittleEndian(bytes);
        var fieldCount = BinaryPrimitives.ReadInt32LittleEndian(bytes[4..]);
        var latentDimension = BinaryPrimitives.ReadInt32LittleEndian(bytes[8..]);
        var normalization = bytes[12] != 0;
        if (featureCount < 0 || fieldCount < 0 || latentDimension <= 0 || bytes[12] > 1)
        {
            throw new FfmModelFormatException(
                $"{source} has an invalid libffm header: n = {featureCount}, m = {fieldCount}, k = {latentDimension}, normalization byte {bytes[12]}.");
        }

        var blocks = (long)featureCount * fieldCount;
        var sseBytes = HeaderSize + (blocks * FfmModel.AlignLatentDimension(latentDimension) * 2 * sizeof(float));
        var scalarBytes = HeaderSize + (blocks * latentDimension * 2 * sizeof(float));
        var resolved = layout switch
        {
            LibffmLayout.Auto when bytes.Length == sseBytes => LibffmLayout.Sse,
            LibffmLayout.Auto when bytes.Length == scalarBytes => LibffmLayout.Scalar,
            LibffmLayout.Auto => throw new FfmModelFormatException(
                $"{source} has {bytes.Length} bytes, but a libffm model with n = {featureCount}, m = {fieldCount}, k = {latentDimension} has {sseBytes} bytes (SSE build) or {scalarBytes} (build without SSE)."),
            _ => layout,
        };

        var expected = resolved == LibffmLayout.Sse ? sseBytes : scalarBytes;
        if (bytes.Length != expected)
        {
            throw new FfmModelFormatException(
                $"{source} has {bytes.Length} bytes, but a libffm {resolved} model with n = {featureCount}, m = {fieldCount}, k = {latentDimension} has {expected}.");
        }

        var model = FfmModel.CreateEmpty(featureCount, fieldCount, latentDimension, normalization);
        var values = MemoryMarshal.Cast<byte, float>(bytes[HeaderSize..]);
        if (resolved == LibffmLayout.Sse)
        {
            // Same layout as ours; copied in one go.
            values.CopyTo(model.Parameters);
            return model;
        }

        CopyScalarLayout(values, model);
        return model;
    }

    /// <summary>Writes <paramref name="model"/> as a libffm 1.21 SSE-build model file.</summary>
    public static async Task ExportAsync(FfmModel model, string path, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentException.ThrowIfNullOrEmpty(path);
        await using var stream = new FileStream(path, FileMode.Create, FileAccess.Write, FileShare.None, 1 << 16, useAsync: true);
        var header = new byte[HeaderSize];
        BinaryPrimitives.WriteInt32LittleEndian(header, model.FeatureCount);
        BinaryPrimitives.WriteInt32LittleEndian(header.AsSpan(4), model.FieldCount);
        BinaryPrimitives.WriteInt32LittleEndian(header.AsSpan(8), model.LatentDimension);
        header[12] = model.Normalization ? (byte)1 : (byte)0;
        await stream.WriteAsync(header, cancellationToken).ConfigureAwait(false);

        var buffer = new byte[1 << 20];
        for (var offset = 0; offset < model.ParameterCount; offset += buffer.Length / sizeof(float))
        {
            var count = Math.Min(buffer.Length / sizeof(float), model.ParameterCount - offset);
            MemoryMarshal.AsBytes(model.Parameters.Slice(offset, count)).CopyTo(buffer);
            await stream.WriteAsync(buffer.AsMemory(0, count * sizeof(float)), cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>Moves weights stored as [w0, G0, w1, G1, ...] per (feature, field) into the 4-wide layout.</summary>
    private static void CopyScalarLayout(ReadOnlySpan<float> values, FfmModel model)
    {
        var k = model.LatentDimension;
        var parameters = model.Parameters;
        var blocks = (long)model.FeatureCount * model.FieldCount;
        for (long block = 0; block < blocks; block++)
        {
            var source = values.Slice((int)(block * k * 2), k * 2);
            var target = parameters.Slice((int)(block * model.FieldStride), model.FieldStride);
            for (var d = 0; d < k; d++)
            {
                var index = (d / 4 * 8) + (d % 4);
                target[index] = source[2 * d];
                target[index + 4] = source[(2 * d) + 1];
            }
        }
    }
}
