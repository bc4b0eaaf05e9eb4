using System.Diagnostics;

namespace Platform.Tracking.Tests.Hosting;

/// <summary>A real tracking server process stops when the process named by LABPLATFORM_PARENT_PID is killed.</summary>
public sealed class ParentProcessExitTests
{
    [Fact]
    public async Task KilledParent_StopsTrackingServer()
    {
        if (OperatingSystem.IsWindows())
        {
            return;
        }

        var directory = Path.Combine(Path.GetTempPath(), "tracking-parent-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(directory);
        try
        {
            // The shell is the server's parent. It prints the server's PID and then waits, until the test kills it.
            var server = Path.Combine(AppContext.BaseDirectory, "Platform.Tracking.dll");
            var script =
                $"LABPLATFORM_PARENT_PID=$$ dotnet '{server}' --host 127.0.0.1 --port 0 " +
                $"--backend-store-uri 'sqlite:///{directory}/tracking.db' --artifacts-destination '{directory}/artifacts' " +
                $">'{directory}/server.log' 2>&1 & echo $!; wait";
            var start = new ProcessStartInfo("/bin/sh") { RedirectStandardOutput = true };
            start.ArgumentList.Add("-c");
            start.ArgumentList.Add(script);
            using var shell = Process.Start(start)!;
            var serverPid = int.Parse((await shell.StandardOutput.ReadLineAsync())!, System.Globalization.CultureInfo.InvariantCulture);
            using var serverProcess = Process.GetProcessById(serverPid);
            try
            {
                await WaitUntilListeningAsync(Path.Combine(directory, "server.log"));
                Assert.False(serverProcess.HasExited, "the tracking server exited before its parent was killed");

                shell.Kill();
                await shell.WaitForExitAsync();

                using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(15));
                await serverProcess.WaitForExitAsync(timeout.Token);
            }
            finally
            {
                if (!serverProcess.HasExited)
                {
                    serverProcess.Kill();
                }
            }
        }
        finally
        {
            Directory.Delete(directory, recursive: true);
        }
    }

    private static async Task WaitUntilListeningAsync(string logFile)
    {
        var deadline = DateTime.UtcNow.AddSeconds(30);
        while (DateTime.UtcNow < deadline)
        {
            if (File.Exists(logFile) && (await File.ReadAllTextAsync(logFile)).Contains("Now listening on", StringComparison.Ordinal))
            {
                return;
            }

            await Task.Delay(100);
        }

        Assert.Fail($"The tracking server did not log 'Now listening on' within 30 seconds. Log: {logFile}");
    }
}
