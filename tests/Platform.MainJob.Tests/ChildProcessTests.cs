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
}
