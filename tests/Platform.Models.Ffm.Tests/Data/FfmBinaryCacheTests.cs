using Platform.Models.Ffm.Data;
using Platform.Testing;

namespace Platform.Models.Ffm.Tests.Data;

public sealed class FfmBinaryCacheTests : IDisposable
{
    private readonly string _folder = Directory.CreateTempSubdirectory("ffm-cache-").FullName;

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    [Fact]
    public async Task CacheRoundTripsTheData()
    {
        var source = CopySample("small_test.txt");
        var cache = Path.Combine(_folder, "small_test.ffmcache");

        var parsed = await FfmBinaryCache.LoadAsync(source, cache, null, CancellationToken.None);
        var cached = FfmBinaryCache.TryRead(cache, new FileInfo(source));

        Assert.NotNull(cached);
        AssertSame(parsed, cached);
    }

    [Fact]
    public async Task CurrentCacheIsUsedInsteadOfText()
    {
        var source = CopySample("small_test.txt");
        var cache = Path.Combine(_folder, "small_test.ffmcache");
        await FfmBinaryCache.LoadAsync(source, cache, null, CancellationToken.None);

        // A cache stamped for this source but holding other data proves that the text was not parsed again.
        var other = FfmTextParser.Parse("1 0:1:1 1:2:1\n", "other");
        FfmBinaryCache.Write(other, cache, new FileInfo(source));
        var loaded = await FfmBinaryCache.LoadAsync(source, cache, null, CancellationToken.None);

        Assert.Equal(1, loaded.RowCount);
    }

    [Fact]
    public async Task StaleCacheIsRebuilt()
    {
        var source = CopySample("small_test.txt");
        var cache = Path.Combine(_folder, "small_test.ffmcache");
        await FfmBinaryCache.LoadAsync(source, cache, null, CancellationToken.None);

        await File.WriteAllTextAsync(source, "1 0:1:1 1:2:1\n0 0:3:1\n");
        File.SetLastWriteTimeUtc(source, DateTime.UtcNow.AddMinutes(1));
        var loaded = await FfmBinaryCache.LoadAsync(source, cache, null, CancellationToken.None);

        Assert.Equal(2, loaded.RowCount);
        Assert.Equal(2, FfmBinaryCache.TryRead(cache, new FileInfo(source))!.RowCount);
    }

    [Fact]
    public async Task CorruptCacheIsRebuilt()
    {
        var source = CopySample("small_test.txt");
        var cache = Path.Combine(_folder, "small_test.ffmcache");
        var parsed = await FfmBinaryCache.LoadAsync(source, cache, null, CancellationToken.None);
        var bytes = await File.ReadAllBytesAsync(cache);
        bytes[^5] ^= 0xFF;
        await File.WriteAllBytesAsync(cache, bytes);

        Assert.Null(FfmBinaryCache.TryRead(cache, new FileInfo(source)));
        var loaded = await FfmBinaryCache.LoadAsync(source, cache, null, CancellationToken.None);

        AssertSame(parsed, loaded);
        Assert.NotNull(FfmBinaryCache.TryRead(cache, new FileInfo(source)));
    }

    [Fact]
    public async Task MissingSourceIsReported()
    {
        var missing = Path.Combine(_folder, "missing.txt");

        var error = await Assert.ThrowsAsync<FileNotFoundException>(
            () => FfmBinaryCache.LoadAsync(missing, missing + ".cache", null, CancellationToken.None));

        Assert.Contains("missing.txt", error.Message, StringComparison.Ordinal);
    }

    private string CopySample(string name)
    {
        var path = Path.Combine(_folder, name);
        File.Copy(RepositoryPaths.Sample(name), path);
        return path;
    }

    private static void AssertSame(FfmProblem expected, FfmProblem actual)
    {
        Assert.Equal(expected.Labels, actual.Labels);
        Assert.Equal(expected.Scales, actual.Scales);
        Assert.Equal(expected.RowOffsets, actual.RowOffsets);
        Assert.Equal(expected.Nodes, actual.Nodes);
        Assert.Equal(expected.FieldCount, actual.FieldCount);
        Assert.Equal(expected.FeatureCount, actual.FeatureCount);
    }
}
