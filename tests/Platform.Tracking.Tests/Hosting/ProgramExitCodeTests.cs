using System.Diagnostics;

namespace Platform.Tracking.Tests.Hosting;

public sealed class ProgramExitCodeTests
{
    [Theory]
    [InlineData("--port", "abc", "Invalid value 'abc' for --port")]
    [InlineData("--colour", "red", "Unknown option '--colour'")]
    [InlineData("--backend-store-uri", "mysql://u:p@h/db", "Invalid backend store URI")]
    public async Task BadFlag_ExitsWithCode2(string flag, string value, string expectedError)
    {
        var serverDll = Path.Combine(AppContext.BaseDirectory, "Platform.Tracking.dll");
        var start = new ProcessStartInfo("dotnet")
        {
            RedirectStandardError = true,
            RedirectStandardOutput = true,
        };
        start.ArgumentList.Add(serverDll);
        start.ArgumentList.Add(flag);
        start.ArgumentList.Add(value);

        using var process = Process.Start(start)!;
        var stderr = await process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();

        Assert.Equal(2, process.ExitCode);
        Assert.Contains(expectedError, stderr, StringComparison.Ordinal);
        Assert.Contains("Usage:", stderr, StringComparison.Ordinal);
    }
}
