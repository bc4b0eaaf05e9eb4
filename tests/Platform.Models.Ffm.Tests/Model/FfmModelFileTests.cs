using Platform.Models.Ffm.Model;

namespace Platform.Models.Ffm.Tests.Model;

public sealed class FfmModelFileTests : IDisposable
{
    private readonly string _folder = Directory.CreateTempSubdirectory("ffm-model-").FullName;

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    [Fact]
    public async Task RoundTripKeepsHeaderAndParameters()
    {
        using var model = FfmModel.CreateInitialized(50, 4, 5, normalization: false);
        model.Loss = FfmLoss.WeightedLogistic;
        model.NdsRate = 0.1f;
        var path = Path.Combine(_folder, "model.ffm");

        await FfmModelFile.SaveAsync(model, path, CancellationToken.None);
        using var loaded = await FfmModelFile.LoadAsync(path, CancellationToken.None);

        Assert.Equal(50, loaded.FeatureCount);
        Assert.Equal(4, loaded.FieldCount);
        Assert.Equal(5, loaded.LatentDimension);
        Assert.False(loaded.Normalization);
        Assert.Equal(FfmLoss.WeightedLogistic, loaded.Loss);
        Assert.Equal(0.1f, loaded.NdsRate);
        Assert.Equal(model.Parameters.ToArray(), loaded.Parameters.ToArray());
    }

    [Fact]
    public async Task CorruptFileFailsChecksum()
    {
        var path = await SaveSmallModelAsync();
        var bytes = await File.ReadAllBytesAsync(path);
        bytes[100] ^= 0x01;
        await File.WriteAllBytesAsync(path, bytes);

        var error = await Assert.ThrowsAsync<FfmModelFormatException>(() => FfmModelFile.LoadAsync(path, CancellationToken.None));

        Assert.Contains("failed its checksum", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task TruncatedFileIsRejected()
    {
        var path = await SaveSmallModelAsync();
        var bytes = await File.ReadAllBytesAsync(path);
        await File.WriteAllBytesAsync(path, bytes[..200]);

        var error = await Assert.ThrowsAsync<FfmModelFormatException>(() => FfmModelFile.LoadAsync(path, CancellationToken.None));

        Assert.Contains("truncated", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task OtherFileTypeIsRejected()
    {
        var path = Path.Combine(_folder, "libffm.model");
        await File.WriteAllBytesAsync(path, new byte[100]);

        var error = await Assert.ThrowsAsync<FfmModelFormatException>(() => FfmModelFile.LoadAsync(path, CancellationToken.None));

        Assert.Contains("not a platform FFM model file", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task NewerVersionIsRejected()
    {
        var path = await SaveSmallModelAsync();
        var bytes = await File.ReadAllBytesAsync(path);
        bytes[8] = 9;
        await File.WriteAllBytesAsync(path, bytes);

        var error = await Assert.ThrowsAsync<FfmModelFormatException>(() => FfmModelFile.LoadAsync(path, CancellationToken.None));

        Assert.Contains("format version 9", error.Message, StringComparison.Ordinal);
    }

    private async Task<string> SaveSmallModelAsync()
    {
        using var model = FfmModel.CreateInitialized(20, 3, 4, normalization: true);
        var path = Path.Combine(_folder, $"{Guid.NewGuid():N}.ffm");
        await FfmModelFile.SaveAsync(model, path, CancellationToken.None);
        return path;
    }
}
