using System.Diagnostics;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging.Abstractions;
using Platform.ServiceDefaults;

namespace Platform.ServiceDefaults.Tests;

public sealed class ParentProcessWatcherTests
{
    [Theory]
    [InlineData(null, null)]
    [InlineData("", null)]
    [InlineData("1234", 1234)]
    public void ParseParentPid_AcceptsUnsetOrPositive(string? value, int? expected)
    {
        Assert.Equal(expected, ParentProcessWatcher.ParseParentPid(value));
    }

    [Theory]
    [InlineData("0")]
    [InlineData("-5")]
    [InlineData("abc")]
    public void ParseParentPid_RejectsInvalid(string value)
    {
        var error = Assert.Throws<ArgumentException>(() => ParentProcessWatcher.ParseParentPid(value));

        Assert.Contains(ParentProcessWatcher.ParentPidVariable, error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(null, false)]
    [InlineData("1", true)]
    public void AddServiceDefaults_RegistersWatcherWhenSet(string? parentPid, bool expected)
    {
        var builder = Host.CreateApplicationBuilder();
        builder.Configuration[ParentProcessWatcher.ParentPidVariable] = parentPid;

        builder.AddServiceDefaults("test");

        using var services = builder.Services.BuildServiceProvider();
        var registered = services.GetServices<IHostedService>().OfType<ParentProcessWatcher>().Any();
        Assert.Equal(expected, registered);
    }

    [Fact]
    public async Task KilledWatchedProcess_StopsApplication()
    {
        using var watched = Process.Start("sleep", "60");
        var lifetime = new RecordingLifetime();
        using var watcher = new ParentProcessWatcher(watched.Id, TimeSpan.FromMilliseconds(100), lifetime, NullLogger<ParentProcessWatcher>.Instance);
        await watcher.StartAsync(CancellationToken.None);

        await Task.Delay(300);
        Assert.False(lifetime.StopRequested.Task.IsCompleted);

        watched.Kill();
        await watched.WaitForExitAsync();

        await lifetime.StopRequested.Task.WaitAsync(TimeSpan.FromSeconds(5));
        await watcher.StopAsync(CancellationToken.None);
    }

    [Fact]
    public async Task LiveParent_DoesNotStopApplication()
    {
        var lifetime = new RecordingLifetime();
        using var watcher = new ParentProcessWatcher(Environment.ProcessId, TimeSpan.FromMilliseconds(50), lifetime, NullLogger<ParentProcessWatcher>.Instance);
        await watcher.StartAsync(CancellationToken.None);

        await Task.Delay(500);
        await watcher.StopAsync(CancellationToken.None);

        Assert.False(lifetime.StopRequested.Task.IsCompleted);
    }

    private sealed class RecordingLifetime : IHostApplicationLifetime
    {
        public TaskCompletionSource StopRequested { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public CancellationToken ApplicationStarted => CancellationToken.None;

        public CancellationToken ApplicationStopping => CancellationToken.None;

        public CancellationToken ApplicationStopped => CancellationToken.None;

        public void StopApplication() => StopRequested.TrySetResult();
    }
}
