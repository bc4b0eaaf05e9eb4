using Platform.Artifacts.Endpoints;

namespace Platform.Artifacts.Tests.Paths;

public sealed class ByteRangeTests
{
    [Fact]
    public void Resolve_SuffixOfEmptyFile_Throws416()
    {
        var error = Assert.Throws<ArtifactException>(() => ByteRange.FromEnd(5).Resolve(0));

        Assert.Equal(416, error.StatusCode);
        Assert.Equal(0, error.ResourceLength);
    }

    [Fact]
    public void FromPosition_LastBeforeFirst_Throws()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => ByteRange.FromPosition(10, 5));
    }

    [Theory]
    [InlineData("bytes=0-9", "0-9")]
    [InlineData("bytes=5-", "5-")]
    [InlineData("bytes=-7", "-7")]
    [InlineData(" bytes = 1-2 ", null)]
    [InlineData("bytes=0-1,4-5", null)]
    [InlineData("items=0-9", null)]
    [InlineData("bytes=9-1", null)]
    [InlineData("bytes=-0", null)]
    [InlineData("bytes=a-b", null)]
    [InlineData("", null)]
    public void RangeHeader_Parse(string header, string? expected)
    {
        Assert.Equal(expected, RangeHeader.Parse(header)?.ToString());
    }
}
