using Platform.Tracking.Hosting;

namespace Platform.Tracking.Tests.Hosting;

public sealed class CommandLineTests
{
    private static readonly Func<string, string?> NoEnvironment = _ => null;

    [Fact]
    public void Parse_Defaults_MatchMlflowServer()
    {
        var options = CommandLine.Parse([], NoEnvironment, out var error);

        Assert.Null(error);
        Assert.NotNull(options);
        Assert.Equal("127.0.0.1", options.Host);
        Assert.Equal(5000, options.Port);
        Assert.EndsWith(Path.Combine("mlruns-data", "mlflow.db"), options.ResolveBackendStoreUri(), StringComparison.Ordinal);
    }

    [Fact]
    public void Parse_ReadsEveryFlag()
    {
        var options = CommandLine.Parse(
            ["--host", "0.0.0.0", "--port=6000", "--backend-store-uri", "sqlite:///tmp/x.db", "--artifacts-destination", "gs://lab-bucket/p", "--gateway-secret", "s3"],
            NoEnvironment, out var error);

        Assert.Null(error);
        Assert.NotNull(options);
        Assert.Equal("0.0.0.0", options.Host);
        Assert.Equal(6000, options.Port);
        Assert.Equal("sqlite:///tmp/x.db", options.BackendStoreUri);
        Assert.Equal("gs://lab-bucket/p", options.ArtifactsDestination);
        Assert.Equal("s3", options.GatewaySecret);
    }

    [Fact]
    public void Parse_SecretFromEnvironment()
    {
        var options = CommandLine.Parse([], name => name == "LABPLATFORM_GATEWAY_SECRET" ? "from-env" : null, out _);

        Assert.Equal("from-env", options!.GatewaySecret);
    }

    [Theory]
    [InlineData("--bogus", "Unknown option")]
    [InlineData("--port", "needs a value")]
    [InlineData("--port=abc", "--port")]
    [InlineData("--port=70000", "--port")]
    [InlineData("--backend-store-uri=mysql://x/y", "backend store URI")]
    public void Parse_BadFlag_ReturnsError(string arg, string expectedWords)
    {
        var options = CommandLine.Parse([arg], NoEnvironment, out var error);

        Assert.Null(options);
        Assert.NotNull(error);
        Assert.Contains(expectedWords, error, StringComparison.Ordinal);
    }

    [Fact]
    public void Parse_Help_ReturnsNoOptionsAndNoError()
    {
        var options = CommandLine.Parse(["--help"], NoEnvironment, out var error);

        Assert.Null(options);
        Assert.Null(error);
    }
}
