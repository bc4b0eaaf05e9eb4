using Platform.Artifacts.Tests.Support;

namespace Platform.Artifacts.Tests.Stores;

/// <summary>Behaviour every <see cref="IArtifactStore"/> must have; run once per store kind.</summary>
public abstract class ArtifactStoreContractTests : IAsyncLifetime
{
    private StoreUnderTest? _subject;

    protected abstract string Kind { get; }

    private IArtifactStore Store => _subject!.Store;

    public async Task InitializeAsync() => _subject = await StoreUnderTest.CreateAsync(Kind);

    public async Task DisposeAsync() => await _subject!.DisposeAsync();

    [Fact]
    public async Task WriteThenRead_RoundTripsBytes()
    {
        var data = TestData.Bytes(700_000);

        await WriteAsync("1/run/artifacts/model.bin", data);
        var content = await Store.OpenReadAsync(ArtifactPath.ParseFile("1/run/artifacts/model.bin"), null, default);
        await using (content)
        {
            Assert.Equal(data.Length, content.Length);
            Assert.Equal(data.Length, content.TotalLength);
            Assert.Equal(0, content.Offset);
            Assert.Equal(TestData.Sha256(data), TestData.Sha256(await TestData.ReadAllAsync(content.Stream)));
        }
    }

    [Fact]
    public async Task Write_EmptyFile_ReadsEmpty()
    {
        await WriteAsync("empty.txt", []);

        await using var content = await Store.OpenReadAsync(ArtifactPath.ParseFile("empty.txt"), null, default);
        Assert.Equal(0, content.Length);
        Assert.Empty(await TestData.ReadAllAsync(content.Stream));
    }

    [Fact]
    public async Task Write_ExistingFile_ReplacesContent()
    {
        await WriteAsync("a/file.txt", "first version"u8.ToArray());
        await WriteAsync("a/file.txt", "second"u8.ToArray());

        Assert.Equal("second"u8.ToArray(), await ReadAsync("a/file.txt"));
    }

    [Fact]
    public async Task Write_SourceFailsMidway_KeepsOldContent()
    {
        await WriteAsync("a/file.bin", "old"u8.ToArray());
        var source = new NonSeekableStream(new MemoryStream(TestData.Bytes(600_000)), failAfterBytes: 300_000);

        await Assert.ThrowsAnyAsync<Exception>(() => Store.WriteAsync(ArtifactPath.ParseFile("a/file.bin"), source, null, default));

        Assert.Equal("old"u8.ToArray(), await ReadAsync("a/file.bin"));
        Assert.Equal(["a/file.bin"], await ListRecursiveAsync(ArtifactPath.Root));
    }

    [Fact]
    public async Task OpenRead_MissingFile_ThrowsNotFound()
    {
        var error = await Assert.ThrowsAsync<ArtifactException>(() => Store.OpenReadAsync(ArtifactPath.ParseFile("nope/missing.txt"), null, default));

        Assert.Equal(ArtifactException.ResourceDoesNotExist, error.ErrorCode);
        Assert.Equal(404, error.StatusCode);
        Assert.Contains("nope/missing.txt", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task OpenRead_Folder_ThrowsInvalidParameter()
    {
        await WriteAsync("dir/inner.txt", "x"u8.ToArray());

        var error = await Assert.ThrowsAsync<ArtifactException>(() => Store.OpenReadAsync(ArtifactPath.ParseFile("dir"), null, default));

        Assert.Equal(ArtifactException.InvalidParameterValue, error.ErrorCode);
        Assert.Contains("is a folder", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(10L, 19L, null, 10L, 10L)]
    [InlineData(990L, null, null, 990L, 10L)]
    [InlineData(995L, 5000L, null, 995L, 5L)]
    [InlineData(null, null, 25L, 975L, 25L)]
    [InlineData(null, null, 5000L, 0L, 1000L)]
    public async Task OpenRead_Range_ReturnsRequestedBytes(long? first, long? last, long? suffix, long expectedOffset, long expectedLength)
    {
        var data = TestData.Bytes(1000);
        await WriteAsync("r.bin", data);
        var range = suffix is { } s ? ByteRange.FromEnd(s) : ByteRange.FromPosition(first!.Value, last);

        await using var content = await Store.OpenReadAsync(ArtifactPath.ParseFile("r.bin"), range, default);

        Assert.Equal(expectedOffset, content.Offset);
        Assert.Equal(expectedLength, content.Length);
        Assert.Equal(1000, content.TotalLength);
        Assert.Equal(data.AsSpan((int)expectedOffset, (int)expectedLength).ToArray(), await TestData.ReadAllAsync(content.Stream));
    }

    [Fact]
    public async Task OpenRead_RangePastEnd_Throws416()
    {
        await WriteAsync("r.bin", TestData.Bytes(100));

        var error = await Assert.ThrowsAsync<ArtifactException>(
            () => Store.OpenReadAsync(ArtifactPath.ParseFile("r.bin"), ByteRange.FromPosition(100), default));

        Assert.Equal(416, error.StatusCode);
        Assert.Equal(100, error.ResourceLength);
    }

    [Fact]
    public async Task OpenRead_DisposedEarly_StopsCleanly()
    {
        await WriteAsync("big.bin", TestData.Bytes(3_000_000));

        var content = await Store.OpenReadAsync(ArtifactPath.ParseFile("big.bin"), null, default);
        var buffer = new byte[1000];
        await content.Stream.ReadExactlyAsync(buffer);
        await content.DisposeAsync();

        // The store still serves the file afterwards.
        Assert.Equal(3_000_000, (await ReadAsync("big.bin")).Length);
    }

    [Fact]
    public async Task List_Folder_ReturnsFilesAndSubfolders()
    {
        await WriteAsync("1/run/artifacts/model.pkl", TestData.Bytes(123));
        await WriteAsync("1/run/artifacts/metrics.json", TestData.Bytes(7));
        await WriteAsync("1/run/artifacts/plots/loss.png", TestData.Bytes(5));
        await WriteAsync("1/run/artifacts/plots/deep/auc.png", TestData.Bytes(5));

        var entries = await ListAsync("1/run/artifacts");

        Assert.Equal(
            [
                new ArtifactFileInfo("1/run/artifacts/metrics.json", false, 7),
                new ArtifactFileInfo("1/run/artifacts/model.pkl", false, 123),
                new ArtifactFileInfo("1/run/artifacts/plots", true, null),
            ],
            entries);
    }

    [Fact]
    public async Task List_Root_ShowsOnlyTenantEntries()
    {
        await WriteAsync("1/a.txt", "a"u8.ToArray());
        await WriteAsync("top.txt", "t"u8.ToArray());

        var entries = await ListAsync(string.Empty);

        Assert.Equal([new ArtifactFileInfo("1", true, null), new ArtifactFileInfo("top.txt", false, 1)], entries);
    }

    [Fact]
    public async Task List_MissingFolder_IsEmpty()
    {
        Assert.Empty(await ListAsync("no/such/folder"));
    }

    [Fact]
    public async Task Delete_File_RemovesOnlyThatFile()
    {
        await WriteAsync("d/one.txt", "1"u8.ToArray());
        await WriteAsync("d/two.txt", "2"u8.ToArray());

        Assert.True(await Store.DeleteAsync(ArtifactPath.ParseFile("d/one.txt"), default));

        Assert.Equal(["d/two.txt"], await ListRecursiveAsync(ArtifactPath.Root));
    }

    [Fact]
    public async Task Delete_Folder_RemovesEverythingBelow()
    {
        await WriteAsync("d/one.txt", "1"u8.ToArray());
        await WriteAsync("d/sub/two.txt", "2"u8.ToArray());
        await WriteAsync("dx/keep.txt", "k"u8.ToArray());

        Assert.True(await Store.DeleteAsync(ArtifactPath.ParseFile("d"), default));

        Assert.Equal(["dx/keep.txt"], await ListRecursiveAsync(ArtifactPath.Root));
        Assert.Equal(StoreUnderTest.CanaryContent, await _subject!.ReadCanaryAsync());
    }

    [Fact]
    public async Task Delete_Missing_ReturnsFalse()
    {
        Assert.False(await Store.DeleteAsync(ArtifactPath.ParseFile("missing/file.txt"), default));
    }

    [Fact]
    public async Task GetEntryKind_DistinguishesFileFolderAndNothing()
    {
        await WriteAsync("k/file.txt", "x"u8.ToArray());

        Assert.Equal(ArtifactEntryKind.File, await Store.GetEntryKindAsync(ArtifactPath.ParseFile("k/file.txt"), default));
        Assert.Equal(ArtifactEntryKind.Folder, await Store.GetEntryKindAsync(ArtifactPath.ParseFile("k"), default));
        Assert.Equal(ArtifactEntryKind.None, await Store.GetEntryKindAsync(ArtifactPath.ParseFile("k/other"), default));
    }

    [Fact]
    public async Task Write_LandsUnderTenantPrefix()
    {
        await WriteAsync("1/run/artifacts/x.txt", "x"u8.ToArray());

        Assert.Equal(
            [StoreUnderTest.TenantPrefix + "/1/run/artifacts/x.txt", StoreUnderTest.CanaryKey],
            _subject!.AllKeys());
    }

    private Task WriteAsync(string path, byte[] data) =>
        Store.WriteAsync(ArtifactPath.ParseFile(path), new NonSeekableStream(new MemoryStream(data)), "application/octet-stream", default);

    private async Task<byte[]> ReadAsync(string path)
    {
        await using var content = await Store.OpenReadAsync(ArtifactPath.ParseFile(path), null, default);
        return await TestData.ReadAllAsync(content.Stream);
    }

    private async Task<List<ArtifactFileInfo>> ListAsync(string folder)
    {
        var entries = new List<ArtifactFileInfo>();
        await foreach (var entry in Store.ListAsync(ArtifactPath.ParseFolder(folder), default))
        {
            entries.Add(entry);
        }

        return [.. entries.OrderBy(e => e.Path, StringComparer.Ordinal)];
    }

    private async Task<List<string>> ListRecursiveAsync(ArtifactPath folder)
    {
        var files = new List<string>();
        await foreach (var entry in Store.ListAsync(folder, default))
        {
            if (entry.IsDir)
            {
                files.AddRange(await ListRecursiveAsync(ArtifactPath.ParseFolder(entry.Path)));
            }
            else
            {
                files.Add(entry.Path);
            }
        }

        return [.. files.Order(StringComparer.Ordinal)];
    }
}

public sealed class LocalArtifactStoreContractTests : ArtifactStoreContractTests
{
    protected override string Kind => "local";
}

public sealed class GcsArtifactStoreContractTests : ArtifactStoreContractTests
{
    protected override string Kind => "gcs";
}
