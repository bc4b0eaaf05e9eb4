using System.Diagnostics;

namespace Platform.Gateway.Tests.Hosting;

public sealed class ProgramExitCodeTests
{
    [Fact]
    public async Task MissingSecret_ExitsWithCode2()
    {
        var dataDirectory = Path.Combine(Path.GetTempPath(), "gateway-exit-" + Guid.NewGuid().ToString("N"));
        try
        {
            var (exitCode, stdout, stderr) = await RunGatewayAsync("--data-dir", dataDirectory);

            Assert.Equal(2, exitCode);
            Assert.Contains("Gateway:GatewaySecret is missing", stderr, StringComparison.Ordinal);
            Assert.Contains("Usage:", stderr, StringComparison.Ordinal);
            Assert.DoesNotContain("Unhandled exception", stderr, StringComparison.Ordinal);
            Assert.Empty(stdout);
        }
        finally
        {
            if (Directory.Exists(dataDirectory))
            {
                Directory.Delete(dataDirectory, recursive: true);
            }
        }
    }

    [Theory]
    [InlineData(new[] { "--local", "--bogus" }, "Unknown option '--bogus'")]
    [InlineData(new[] { "--local", "--data-dir" }, "Option '--data-dir' needs a value")]
    [InlineData(new[] { "--local", "--data-dir", "--urls", "http://127.0.0.1:1" }, "Option '--data-dir' needs a value")]
    [InlineData(new[] { "--local", "Gateway:Local" }, "Unknown option 'Gateway:Local'")]
    public async Task BadFlag_ExitsWithCode2(string[] args, string expected)
    {
        var (exitCode, _, stderr) = await RunGatewayAsync(args);

        Assert.Equal(2, exitCode);
        Assert.Contains(expected, stderr, StringComparison.Ordinal);
        Assert.Contains("Usage:", stderr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task BusyPort_PrintsOneErrorLine()
    {
        using var listener = new System.Net.Sockets.TcpListener(System.Net.IPAddress.Loopback, 0);
        listener.Start();
        var port = ((System.Net.IPEndPoint)listener.LocalEndpoint).Port;
        var dataDirectory = Path.Combine(Path.GetTempPath(), "gateway-busy-" + Guid.NewGuid().ToString("N"));
        try
        {
            var (exitCode, stdout, stderr) = await RunGatewayAsync("--local", "--data-dir", dataDirectory, "--urls", $"http://127.0.0.1:{port}");

            Assert.Equal(1, exitCode);
            Assert.StartsWith("error: the gateway failed to start: Failed to bind to address", stderr, StringComparison.Ordinal);
            Assert.Single(stderr.Split('\n', StringSplitOptions.RemoveEmptyEntries));
            Assert.DoesNotContain("SocketException", stdout, StringComparison.Ordinal);
            Assert.DoesNotContain("fail:", stdout, StringComparison.Ordinal);
        }
        finally
        {
            if (Directory.Exists(dataDirectory))
            {
                Directory.Delete(dataDirectory, recursive: true);
            }
        }
    }

    [Fact]
    public async Task Help_PrintsUsageAndExits0()
    {
        var (exitCode, stdout, _) = await RunGatewayAsync("--help");

        Assert.Equal(0, exitCode);
        Assert.Contains("--local", stdout, StringComparison.Ordinal);
        Assert.Contains("--data-dir", stdout, StringComparison.Ordinal);
    }

    private static async Task<(int ExitCode, string Stdout, string Stderr)> RunGatewayAsync(params string[] args)
    {
        var start = new ProcessStartInfo("dotnet")
        {
            RedirectStandardError = true,
            RedirectStandardOutput = true,
        };
        start.ArgumentList.Add(Path.Combine(AppContext.BaseDirectory, "Platform.Gateway.dll"));
        foreach (var arg in args)
        {
            start.ArgumentList.Add(arg);
        }

        using var process = Process.Start(start)!;
        var stdoutTask = process.StandardOutput.ReadToEndAsync();
        var stderr = await process.StandardError.ReadToEndAsync();
        var stdout = await stdoutTask;
        await process.WaitForExitAsync();
        return (process.ExitCode, stdout, stderr);
    }
}
