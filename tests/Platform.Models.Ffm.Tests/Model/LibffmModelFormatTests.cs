using System.Buffers.Binary;
using Platform.Models.Ffm.Data;
using Platform.Models.Ffm.Model;

namespace Platform.Models.Ffm.Tests.Model;

public sealed class LibffmModelFormatTests
{
    [Fact]
    public void ImportsHandWrittenSseModel()
    {
        // n = 2, m = 2, k = 2: each (feature, field) block is [w0 w1 0 0 | G0 G1 G2 G3] as libffm's SSE build saves it.
        var bytes = LibffmFile(2, 2, 2, normalization: false, blockFloats: 8, (j, f) =>
        [
            0.1f + j, 0.2f + f, 0f, 0f, 1.5f, 1.5f, 1f, 1f,
        ]);

        using var model = LibffmModelFormat.Import(bytes, "hand.model", LibffmLayout.Auto);
        FfmNode[] row = [new(0, 0, 1f), new(1, 1, 1f)];

        // Pair (feature 0, field 0) with (feature 1, field 1): ⟨w[0, 1], w[1, 0]⟩ = 0.1·1.1 + 1.2·0.2.
        Assert.Equal(0.1f * 1.1f + 1.2f * 0.2f, model.PredictScore(row), 6);
        Assert.Equal([1.1f, 1.2f], model.GetLatentVector(1, 1));
        Assert.Equal(1.5f, model.Parameters[4]);
    }

    [Fact]
    public void ImportsModelOfBuildWithoutSse()
    {
        // k = 3 without SSE: [w0 G0 w1 G1 w2 G2] per block; the size differs from the SSE layout, so Auto detects it.
        var bytes = LibffmFile(1, 2, 3, normalization: true, blockFloats: 6, (_, f) =>
        [
            1f + f, 2f, 2f + f, 3f, 3f + f, 4f,
        ]);

        using var model = LibffmModelFormat.Import(bytes, "scalar.model", LibffmLayout.Auto);

        Assert.True(model.Normalization);
        Assert.Equal([2f, 3f, 4f], model.GetLatentVector(0, 1));
        Assert.Equal([2f, 3f, 4f, 1f], model.Parameters.Slice(12, 4).ToArray());
    }

    [Fact]
    public async Task ExportThenImportKeepsPredictions()
    {
        using var model = FfmModel.CreateInitialized(30, 3, 4, normalization: true);
        var path = Path.Combine(Path.GetTempPath(), $"ffm-{Guid.NewGuid():N}.model");
        try
        {
            await LibffmModelFormat.ExportAsync(model, path, CancellationToken.None);
            using var imported = await LibffmModelFormat.ImportAsync(path, LibffmLayout.Sse, CancellationToken.None);

            Assert.Equal(13 + (30 * 3 * 8 * 4), new FileInfo(path).Length);
            Assert.Equal(model.Parameters.ToArray(), imported.Parameters.ToArray());
        }
        finally
        {
            File.Delete(path);
        }
    }

    [Fact]
    public void WrongSizeIsRejected()
    {
        var bytes = LibffmFile(2, 2, 4, normalization: true, blockFloats: 8, (_, _) => new float[8]);

        var error = Assert.Throws<FfmModelFormatException>(() => LibffmModelFormat.Import(bytes[..^4], "short.model", LibffmLayout.Auto));

        Assert.Contains("short.model has 137 bytes", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void InvalidHeaderIsRejected()
    {
        var bytes = LibffmFile(2, 2, 4, normalization: true, blockFloats: 8, (_, _) => new float[8]);
        BinaryPrimitives.WriteInt32LittleEndian(bytes.AsSpan(8), 0);

        var error = Assert.Throws<FfmModelFormatException>(() => LibffmModelFormat.Import(bytes, "zero-k.model", LibffmLayout.Auto));

        Assert.Contains("k = 0", error.Message, StringComparison.Ordinal);
    }

    private static byte[] LibffmFile(int n, int m, int k, bool normalization, int blockFloats, Func<int, int, float[]> block)
    {
        var bytes = new byte[13 + (n * m * blockFloats * 4)];
        BinaryPrimitives.WriteInt32LittleEndian(bytes, n);
        BinaryPrimitives.WriteInt32LittleEndian(bytes.AsSpan(4), m);
        BinaryPrimitives.WriteInt32LittleEndian(bytes.AsSpan(8), k);
        bytes[12] = normalization ? (byte)1 : (byte)0;
        var position = 13;
        for (var j = 0; j < n; j++)
        {
            for (var f = 0; f < m; f++)
            {
                foreach (var value in block(j, f))
                {
                    BinaryPrimitives.WriteSingleLittleEndian(bytes.AsSpan(position), value);
                    position += 4;
                }
            }
        }

        return bytes;
    }
}
