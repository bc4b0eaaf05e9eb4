namespace Platform.MainJob.Tests;

public sealed class MainJobCommandLineTests
{
    private const string Root = "/repo";

    [Fact]
    public void Parse_NoArguments_UsesDefaults()
    {
        var options = MainJobCommandLine.Parse([], Root, "Release")!;

        Assert.Equal(Path.Combine(Root, ".labplatform"), options.DataDirectory);
        Assert.Equal(8080, options.GatewayPort);
        Assert.Equal(8090, options.InferencePort);
        Assert.Equal(50, options.Epochs);
        Assert.True(options.KeepRunning);
        Assert.Equal(new Uri("http://127.0.0.1:8080/u/alice"), options.TenantTrackingUri);
    }

    [Fact]
    public void Parse_AllOptions_AreApplied()
    {
        var options = MainJobCommandLine.Parse(
            ["--data-dir", "/tmp/x", "--port", "9080", "--inference-port", "9090", "--epochs", "3", "--no-wait"], Root, "Debug")!;

        Assert.Equal("/tmp/x", options.DataDirectory);
        Assert.Equal(9080, options.GatewayPort);
        Assert.Equal(9090, options.InferencePort);
        Assert.Equal(3, options.Epochs);
        Assert.False(options.KeepRunning);
        Assert.Equal(Path.Combine(Root, "src", "Platform.Cli", "bin", "Debug", "net10.0", "labctl.dll"), options.ProjectAssembly("Platform.Cli", "labctl"));
    }

    [Fact]
    public void Parse_Help_ReturnsNull()
    {
        Assert.Null(MainJobCommandLine.Parse(["--help"], Root, "Release"));
    }

    [Theory]
    [InlineData(new[] { "--colour" }, "Unknown option '--colour'")]
    [InlineData(new[] { "--port" }, "Option '--port' needs a value")]
    [InlineData(new[] { "--port", "http" }, "Invalid value 'http' for --port")]
    [InlineData(new[] { "--port", "70000" }, "Invalid value '70000' for --port")]
    [InlineData(new[] { "--epochs", "0" }, "Invalid value '0' for --epochs")]
    [InlineData(new[] { "--port", "9000", "--inference-port", "9000" }, "both 9000")]
    public void Parse_BadArguments_NameTheProblem(string[] args, string expected)
    {
        var error = Assert.Throws<ArgumentException>(() => MainJobCommandLine.Parse(args, Root, "Release"));

        Assert.Contains(expected, error.Message, StringComparison.Ordinal);
    }
}
