using System.Diagnostics;
using Platform.Gateway.Hosting;
using Platform.Gateway.Tests.Fixtures;
using Platform.Testing.Oidc;

namespace Platform.Gateway.Tests.Hosting;

/// <summary>One gateway per data folder: the lock on <c>gateway.lock</c>, in process and across processes.</summary>
public sealed class DataDirectoryLockTests : IAsyncLifetime
{
    private readonly string _dataDirectory = Directory.CreateTempSubdirectory("gateway-lock-").FullName;
    private TestOidcProvider _provider = null!;

    public async Task InitializeAsync() => _provider = await TestOidcProvider.StartAsync();

    public async Task DisposeAsync()
    {
        await _provider.DisposeAsync();
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        Directory.Delete(_dataDirectory, recursive: true);
    }

    [Fact]
    public async Task SecondGateway_SameFolder_FailsUntilFirstStops()
    {
        await using (var first = await GatewayHost.StartAsync(_provider, dataDirectory: _dataDirectory))
        {
            var error = await Assert.ThrowsAsync<DataDirectoryInUseException>(() => GatewayHost.StartAsync(_provider, dataDirectory: _dataDirectory));

            Assert.Contains($"'{_dataDirectory}'", error.Message, StringComparison.Ordinal);
            Assert.Contains("in use by another gateway", error.Message, StringComparison.Ordinal);
            Assert.Contains($"PID {Environment.ProcessId}", error.Message, StringComparison.Ordinal);
            Assert.Contains("--data-dir", error.Message, StringComparison.Ordinal);
            Assert.DoesNotContain('\n', error.Message);
            Assert.Equal(Environment.ProcessId, error.OwnerPid);
        }

        await using var third = await GatewayHost.StartAsync(_provider, dataDirectory: _dataDirectory);
        Assert.True(File.Exists(Path.Combine(_dataDirectory, DataDirectoryLock.PidFileName)));
    }

    [Fact]
    public async Task Lock_ReleasedWhenOwnerIsKilled()
    {
        using var first = StartGateway();
        try
        {
            await WaitForPidFileAsync(first.Id);

            var (exitCode, stderr) = await RunGatewayToExitAsync();

            Assert.Equal(1, exitCode);
            Assert.Equal(
                $"error: The data folder '{_dataDirectory}' is in use by another gateway (PID {first.Id}). Stop that gateway, or choose another folder with --data-dir.",
                stderr.Trim());
        }
        finally
        {
            // SIGKILL gives the gateway no chance to clean up, so only the kernel can release the lock.
            await KillAsync(first);
        }

        using var next = StartGateway();
        try
        {
            await WaitForPidFileAsync(next.Id);
            Assert.False(next.HasExited, "the gateway started after the kill exited");
        }
        finally
        {
            await KillAsync(next);
        }
    }

    private static async Task KillAsync(Process process)
    {
        process.Kill();
        await process.WaitForExitAsync();
    }

    private Process StartGateway()
    {
        var start = GatewayStartInfo();
        start.RedirectStandardOutput = false;
        start.RedirectStandardError = false;
        return Process.Start(start)!;
    }

    private async Task<(int ExitCode, string Stderr)> RunGatewayToExitAsync()
    {
        using var process = Process.Start(GatewayStartInfo())!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = await process.StandardError.ReadToEndAsync();
        await stdout;
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        await process.WaitForExitAsync(timeout.Token);
        return (process.ExitCode, stderr);
    }

    private ProcessStartInfo GatewayStartInfo()
    {
        var start = new ProcessStartInfo("dotnet") { RedirectStandardError = true, RedirectStandardOutput = true };
        string[] args =
        [
            Path.Combine(AppContext.BaseDirectory, "Platform.Gateway.dll"),
            "--data-dir", _dataDirectory, "--gateway-secret", GatewayHost.Secret, "--urls", "http://127.0.0.1:0",
        ];
        foreach (var arg in args)
        {
            start.ArgumentList.Add(arg);
        }

        return start;
    }

    private async Task WaitForPidFileAsync(int pid)
    {
        var pidFile = Path.Combine(_dataDirectory, DataDirectoryLock.PidFileName);
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(60);
        while (DateTime.UtcNow < deadline)
        {
            if (File.Exists(pidFile) && (await File.ReadAllTextAsync(pidFile)).Trim() == pid.ToString(System.Globalization.CultureInfo.InvariantCulture))
            {
                return;
            }

            await Task.Delay(100);
        }

        Assert.Fail($"gateway {pid} did not write {pidFile} within 60 s");
    }
}
