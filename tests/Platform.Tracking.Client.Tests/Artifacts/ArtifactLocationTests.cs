namespace Platform.Tracking.Client.Tests;

public sealed class ArtifactLocationTests
{
    private static readonly Uri Tracking = new("https://lab.example.org/u/alice/");

    [Fact]
    public void ProxyScheme_KeepsTrackingPrefix()
    {
        var location = ArtifactLocation.Parse("mlflow-artifacts:/3/abc/artifacts", Tracking);

        Assert.Equal("https://lab.example.org/u/alice/api/2.0/mlflow-artifacts/artifacts", location.ProxyUrl);
        Assert.Equal("3/abc/artifacts", location.RootPath);
        Assert.Equal(
            "https://lab.example.org/u/alice/api/2.0/mlflow-artifacts/artifacts/3/abc/artifacts/a%20b/c%23.txt",
            location.GetFileUri("a b/c#.txt").AbsoluteUri);
        Assert.Equal(
            "https://lab.example.org/u/alice/api/2.0/mlflow-artifacts/artifacts?path=3%2Fabc%2Fartifacts%2Fm",
            location.GetListUri("m").AbsoluteUri);
    }

    [Fact]
    public void ProxySchemeHost_IsUsed()
    {
        var location = ArtifactLocation.Parse("mlflow-artifacts://artifacts.internal:5500/3/abc/artifacts", Tracking);

        Assert.Equal("https://artifacts.internal:5500/u/alice/api/2.0/mlflow-artifacts/artifacts", location.ProxyUrl);
        Assert.Equal("3/abc/artifacts", location.RootPath);
    }

    [Fact]
    public void HttpProxyUri_IsUsedAsIs()
    {
        var location = ArtifactLocation.Parse("http://10.0.0.5:5000/p/api/2.0/mlflow-artifacts/artifacts/1/r/artifacts", Tracking);

        Assert.Equal("http://10.0.0.5:5000/p/api/2.0/mlflow-artifacts/artifacts", location.ProxyUrl);
        Assert.Equal("1/r/artifacts", location.RootPath);
    }

    [Theory]
    [InlineData("gs://bucket/x")]
    [InlineData("file:///tmp/mlruns/0")]
    [InlineData("http://host/not-the-proxy/0")]
    public void OtherSchemes_AreRejected(string uri)
    {
        var error = Assert.Throws<NotSupportedException>(() => ArtifactLocation.Parse(uri, Tracking));

        Assert.Contains(uri, error.Message, StringComparison.Ordinal);
    }
}
