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
}
