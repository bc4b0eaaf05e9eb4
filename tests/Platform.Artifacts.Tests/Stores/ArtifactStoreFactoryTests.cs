using Platform.Artifacts.Gcs;
using Platform.Artifacts.Local;
using Platform.Artifacts.Tests.Support;

namespace Platform.Artifacts.Tests.Stores;

public sealed class ArtifactStoreFactoryTests
{
    [Fact]
    public void Create_FolderPath_ReturnsLocalStore()
    {
        using var folder = new TempFolder();

        var store = ArtifactStoreFactory.Create(Path.Combine(folder.Path, "artifacts"));

        var local = Assert.IsType<LocalArtifactStore>(store);
        Assert.Equal(Path.Combine(folder.Path, "artifacts"), local.RootPath);
        Assert.True(Directory.Exists(local.RootPath));
        Assert.StartsWith("file:///", store.RootUri, StringComparison.Ordinal);
    }

    [Fact]
    public void Create_FileUri_ReturnsLocalStore()
    {
        using var folder = new TempFolder();

        var store = ArtifactStoreFactory.Create(new Uri(Path.Combine(folder.Path, "x")).AbsoluteUri);

        Assert.Equal(Path.Combine(folder.Path, "x"), Assert.IsType<LocalArtifactStore>(store).RootPath);
    }

    [Fact]
    public void Create_GcsUri_ReturnsGcsStoreWithPrefix()
    {
        var store = ArtifactStoreFactory.Create("gs://lab-artifacts/tenants/alice", new ArtifactStoreOptions { GcsBaseUri = "http://127.0.0.1:9/storage/v1/" });

        var gcs = Assert.IsType<GcsArtifactStore>(store);
        Assert.Equal("lab-artifacts", gcs.Location.Bucket);
        Assert.Equal("tenants/alice", gcs.Location.Prefix.Value);
        Assert.Equal("gs://lab-artifacts/tenants/alice", store.RootUri);
    }

    [Theory]
    [InlineData("s3://bucket/prefix", "unsupported scheme 's3'")]
    [InlineData("file://remote-host/share", "not a valid local file URI")]
    [InlineData("gs://Bad_Bucket/x", "invalid bucket name 'Bad_Bucket'")]
    [InlineData("gs://ab/x", "invalid bucket name 'ab'")]
    [InlineData("gs://bucket/../other", "invalid prefix")]
    [InlineData("gs://bucket/a//b", "invalid prefix")]
    public void Create_InvalidDestination_ThrowsWithReason(string destination, string expected)
    {
        var error = Assert.Throws<ArgumentException>(() => ArtifactStoreFactory.Create(destination, new ArtifactStoreOptions { GcsBaseUri = "http://127.0.0.1:9/storage/v1/" }));

        Assert.Contains(expected, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Create_GcsUnalignedChunkSize_Throws()
    {
        var options = new ArtifactStoreOptions { GcsBaseUri = "http://127.0.0.1:9/storage/v1/", GcsUploadChunkSize = 1000 };

        var error = Assert.Throws<ArgumentException>(() => ArtifactStoreFactory.Create("gs://bucket/x", options));

        Assert.Contains("multiple of 262144", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("gs://bucket", "bucket", "")]
    [InlineData("gs://bucket/", "bucket", "")]
    [InlineData("gs://my.bucket/a/b/", "my.bucket", "a/b")]
    public void GcsLocation_Parse_SplitsBucketAndPrefix(string destination, string bucket, string prefix)
    {
        var location = GcsLocation.Parse(destination);

        Assert.Equal(bucket, location.Bucket);
        Assert.Equal(prefix, location.Prefix.Value);
    }

    [Fact]
    public void GcsLocation_ObjectNames_StayUnderPrefix()
    {
        var location = GcsLocation.Parse("gs://bucket/tenants/alice");

        Assert.Equal("tenants/alice/1/x.txt", location.ObjectName(ArtifactPath.ParseFile("1/x.txt")));
        Assert.Equal("tenants/alice/", location.FolderPrefix(ArtifactPath.Root));
        Assert.Equal("tenants/alice/1/", location.FolderPrefix(ArtifactPath.ParseFolder("1")));
        Assert.Equal(string.Empty, GcsLocation.Parse("gs://bucket").FolderPrefix(ArtifactPath.Root));
    }
}
