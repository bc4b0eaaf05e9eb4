using Platform.Artifacts.Runs;
using Platform.Artifacts.Tests.Support;

namespace Platform.Artifacts.Tests.Endpoints;

public sealed class RunArtifactListerTests : IAsyncLifetime
{
    private StoreUnderTest? _subject;

    public async Task InitializeAsync()
    {
        _subject = await StoreUnderTest.CreateAsync("local");
        foreach (var path in new[] { "1/abc/artifacts/model.pkl", "1/abc/artifacts/plots/loss.png", "1/other/artifacts/x.txt" })
        {
            await _subject.Store.WriteAsync(ArtifactPath.ParseFile(path), new MemoryStream([1, 2]), null, default);
        }
    }

    public async Task DisposeAsync() => await _subject!.DisposeAsync();

    [Theory]
    [InlineData("mlflow-artifacts:/1/abc/artifacts")]
    [InlineData("mlflow-artifacts://tracking.example:5000/1/abc/artifacts")]
    public async Task List_ProxyRoot_ReturnsPathsRelativeToRunRoot(string artifactUri)
    {
        var lister = new RunArtifactLister(_subject!.Store);

        var top = await lister.ListAsync(artifactUri, null, default);
        var plots = await lister.ListAsync(artifactUri, "plots", default);

        Assert.Equal(artifactUri, top.RootUri);
        Assert.Equal([new ArtifactFileInfo("model.pkl", false, 2), new ArtifactFileInfo("plots", true, null)], top.Files);
        Assert.Equal([new ArtifactFileInfo("plots/loss.png", false, 2)], plots.Files);
    }

    [Fact]
    public async Task List_RootUnderStoreUri_IsServed()
    {
        var lister = new RunArtifactLister(_subject!.Store);

        var list = await lister.ListAsync(_subject.Store.RootUri + "/1/abc/artifacts", "plots/", default);

        Assert.Equal([new ArtifactFileInfo("plots/loss.png", false, 2)], list.Files);
    }

    [Fact]
    public async Task List_ForeignRoot_ThrowsInvalidParameter()
    {
        var lister = new RunArtifactLister(_subject!.Store);

        var error = await Assert.ThrowsAsync<ArtifactException>(() => lister.ListAsync("s3://elsewhere/1/abc", null, default));

        Assert.Equal(ArtifactException.InvalidParameterValue, error.ErrorCode);
        Assert.Contains("not served by this server's artifact store", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("mlflow-artifacts:/1/abc/artifacts", "../../other/artifacts")]
    [InlineData("mlflow-artifacts:/1/abc/artifacts", "/etc")]
    [InlineData("mlflow-artifacts:/../../etc", null)]
    public async Task List_UnsafePath_ThrowsInvalidParameter(string artifactUri, string? path)
    {
        var lister = new RunArtifactLister(_subject!.Store);

        var error = await Assert.ThrowsAsync<ArtifactException>(() => lister.ListAsync(artifactUri, path, default));

        Assert.Equal(400, error.StatusCode);
    }

    [Fact]
    public async Task Response_SerializesAsMlflowJson()
    {
        var lister = new RunArtifactLister(_subject!.Store);

        var list = await lister.ListAsync("mlflow-artifacts:/1/abc/artifacts", null, default);

        Assert.Equal(
            """{"root_uri":"mlflow-artifacts:/1/abc/artifacts","files":[{"path":"model.pkl","is_dir":false,"file_size":2},{"path":"plots","is_dir":true}]}""",
            System.Text.Json.JsonSerializer.Serialize(list));
    }
}
