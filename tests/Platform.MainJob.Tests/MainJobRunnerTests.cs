using System.Net;
using System.Net.Sockets;
using Platform.Testing;

namespace Platform.MainJob.Tests;

public sealed class MainJobRunnerTests
{
    [Fact]
    public async Task BusyInferencePort_FailsBeforeAnythingStarts()
    {
        using var busy = new TcpListener(IPAddress.Loopback, 0);
        busy.Start();
        var busyPort = ((IPEndPoint)busy.LocalEndpoint).Port;
        var dataDirectory = Path.Combine(Path.GetTempPath(), "mainjob-port-" + Guid.NewGuid().ToString("N"));
        var options = new MainJobOptions
        {
            DataDirectory = dataDirectory,
            RepositoryRoot = RepositoryPaths.Root,
            GatewayPort = TcpPorts.GetFreePort(),
            InferencePort = busyPort,
            KeepRunning = false,
        };
        using var output = new StringWriter();

        try
        {
            var error = await Assert.ThrowsAsync<MainJobException>(() => new MainJobRunner(options, output).StartAsync(CancellationToken.None));

            Assert.Contains($"Port {busyPort}", error.Message, StringComparison.Ordinal);
            Assert.Contains("--inference-port", error.Message, StringComparison.Ordinal);
            Assert.False(File.Exists(Path.Combine(dataDirectory, "logs", "gateway.log")));
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
    public async Task DataFolderInUse_FailsBeforeMintingTokens()
    {
        var dataDirectory = Path.Combine(Path.GetTempPath(), "mainjob-lock-" + Guid.NewGuid().ToString("N"));
        var first = new MainJobOptions
        {
            DataDirectory = dataDirectory,
            RepositoryRoot = RepositoryPaths.Root,
            Configuration = new DirectoryInfo(AppContext.BaseDirectory).Parent!.Name,
            GatewayPort = TcpPorts.GetFreePort(),
        };
        var second = new MainJobOptions
        {
            DataDirectory = dataDirectory,
            RepositoryRoot = RepositoryPaths.Root,
            Configuration = first.Configuration,
            GatewayPort = TcpPorts.GetFreePort(),
            InferencePort = TcpPorts.GetFreePort(),
            KeepRunning = false,
        };
        using var output = new StringWriter();

        // The first platform is only its gateway, which holds the lock on the data folder.
        var gateway = ChildProcess.Start(
            "gateway",
            first.ProjectAssembly("Platform.Gateway"),
            ["--local", "--data-dir", dataDirectory, "--urls", first.GatewayUrl.ToString().TrimEnd('/'), "--tracking-server", first.ProjectAssembly("Platform.Tracking")],
            new Dictionary<string, string>(),
            Path.Combine(dataDirectory, "first-gateway.log"));
        try
        {
            await WaitForFileAsync(Path.Combine(dataDirectory, "gateway.pid"));

            var error = await Assert.ThrowsAsync<MainJobException>(() => new MainJobRunner(second, output).StartAsync(CancellationToken.None));

            Assert.Contains($"'{dataDirectory}' is in use by another gateway (PID ", error.Message, StringComparison.Ordinal);
            Assert.Contains("--data-dir", error.Message, StringComparison.Ordinal);
            Assert.DoesNotContain("labctl", output.ToString(), StringComparison.Ordinal);
            Assert.False(File.Exists(Path.Combine(dataDirectory, "logs", "labctl.log")));
            Assert.False(gateway.HasExited, "the first gateway stopped");
        }
        finally
        {
            await gateway.DisposeAsync();
            if (Directory.Exists(dataDirectory))
            {
                Directory.Delete(dataDirectory, recursive: true);
            }
        }
    }

    private static async Task WaitForFileAsync(string path)
    {
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(60);
        while (!File.Exists(path))
        {
            Assert.True(DateTime.UtcNow < deadline, $"{path} did not appear within 60 s");
            await Task.Delay(100);
        }
    }
}
