using System.Diagnostics;

namespace Platform.Tracking.Tests.Hosting;

public sealed class ProgramExitCodeTests
{
    [Theory]
    [InlineData("--port", "abc", "Invalid value 'abc' for --port")]
    [InlineData("--colour", "red", "Unknown option '--colour'")]
    [InlineData("--backend-store-uri", "mysql://u:p@h/db", "Invalid backend store URI")]
    [InlineData("--host", "999.1.1.1", "Invalid value '999.1.1.1' for --host")]
    [InlineData("--host", "example.invalid", "Invalid value 'example.invalid' for --host")]
    [InlineData("--artifacts-destination", "s3://bucket/x", "the scheme 's3' is not supported")]
    [InlineData("--artifacts-destination", "gs://", "Invalid value 'gs://' for --artifacts-destination")]
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

    [Fact]
    public async Task UnreachableDatabase_ExitsWithCode1()
    {
        var start = new ProcessStartInfo("dotnet")
        {
            RedirectStandardError = true,
            RedirectStandardOutput = true,
        };
        start.ArgumentList.Add(Path.Combine(AppContext.BaseDirectory, "Platform.Tracking.dll"));
        start.ArgumentList.Add("--port");
        start.ArgumentList.Add("0");
        start.ArgumentList.Add("--backend-store-uri");
        start.ArgumentList.Add("postgresql://user:secret@127.0.0.1:1/db?schema=tenant_x");

        using var process = Process.Start(start)!;
        var stdoutTask = process.StandardOutput.ReadToEndAsync();
        var stderr = await process.StandardError.ReadToEndAsync();
        await stdoutTask;
        await process.WaitForExitAsync();

        Assert.Equal(1, process.ExitCode);
        Assert.Contains("error: the tracking server failed to start", stderr, StringComparison.Ordinal);
        Assert.DoesNotContain("Unhandled exception", stderr, StringComparison.Ordinal);
    }
}
