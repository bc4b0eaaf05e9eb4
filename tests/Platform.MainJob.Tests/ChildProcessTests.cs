namespace Platform.MainJob.Tests;

public sealed class ChildProcessTests
{
    [Fact]
    public void Start_MissingAssembly_SaysToBuild()
    {
        var missing = Path.Combine(Path.GetTempPath(), Guid.NewGuid().ToString("N"), "Platform.Gateway.dll");

        var error = Assert.Throws<FileNotFoundException>(() =>
            ChildProcess.Start("gateway", missing, [], new Dictionary<string, string>(), Path.Combine(Path.GetTempPath(), "unused.log")));

        Assert.Contains(missing, error.Message, StringComparison.Ordinal);
        Assert.Contains("make build", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("lpt_f3o59xQB9AoTLwyJ5kano-mNtblPQlkuySOUq6MRXFA", "lpt_<redacted>")]
    [InlineData("export MLFLOW_TRACKING_TOKEN=lpt_abc_DEF-1", "export MLFLOW_TRACKING_TOKEN=lpt_<redacted>")]
    [InlineData("Created tenant alice (owner alice@example.com).", "Created tenant alice (owner alice@example.com).")]
    public void RedactTokens_HidesOnlyPlatformTokens(string line, string expected)
    {
        Assert.Equal(expected, ChildProcess.RedactTokens(line));
    }
}
