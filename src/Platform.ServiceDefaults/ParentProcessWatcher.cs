using System.Diagnostics;
using System.Globalization;
using System.Runtime.InteropServices;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Platform.ServiceDefaults;

/// <summary>
/// Stops the application when the process that started it dies, so a <c>kill -9</c> of the main job or the
/// gateway does not leave their children running. Enabled by <see cref="ParentPidVariable"/>.
/// </summary>
/// <remarks>
/// When the watched process is this process's parent at start, the check compares <c>getppid()</c> with it:
/// an orphan is re-parented (to PID 1 or a subreaper), so a reused PID cannot hide the parent's death.
/// Otherwise (a wrapper in between, or a system without <c>getppid</c>) the check only tests whether the PID
/// still exists. NOTE: that fallback misses the death of a parent whose PID another process has reused.
/// </remarks>
public sealed partial class ParentProcessWatcher : BackgroundService
{
    /// <summary>Environment variable that names the PID of the process whose death stops this one.</summary>
    public const string ParentPidVariable = "LABPLATFORM_PARENT_PID";

    /// <summary>Default time between two checks.</summary>
    public static readonly TimeSpan DefaultInterval = TimeSpan.FromSeconds(1);

    private readonly int _parentPid;
    private readonly TimeSpan _interval;
    private readonly IHostApplicationLifetime _lifetime;
    private readonly ILogger<ParentProcessWatcher> _logger;

    public ParentProcessWatcher(int parentPid, TimeSpan interval, IHostApplicationLifetime lifetime, ILogger<ParentProcessWatcher> logger)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(parentPid);
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(interval, TimeSpan.Zero);
        ArgumentNullException.ThrowIfNull(lifetime);
        ArgumentNullException.ThrowIfNull(logger);

        _parentPid = parentPid;
        _interval = interval;
        _lifetime = lifetime;
        _logger = logger;
    }

    /// <summary>
    /// Parses the value of <see cref="ParentPidVariable"/>: null when it is unset or empty, the PID otherwise.
    /// </summary>
    /// <exception cref="ArgumentException">The value is not a positive integer.</exception>
    public static int? ParseParentPid(string? value)
    {
        if (string.IsNullOrWhiteSpace(value))
        {
            return null;
        }

        if (!int.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out var pid) || pid <= 0)
        {
            throw new ArgumentException($"{ParentPidVariable} must be a positive process id, but is '{value}'. Unset it or set it to the PID of the parent process.");
        }

        return pid;
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var comparesParent = HasGetParentPid() && GetParentPid() == _parentPid;
        LogWatching(_logger, _parentPid, comparesParent ? "parent process id" : "process existence");

        using var timer = new PeriodicTimer(_interval);
        do
        {
            var alive = comparesParent ? GetParentPid() == _parentPid : ProcessExists(_parentPid);
            if (!alive)
            {
                LogParentGone(_logger, _parentPid);
                _lifetime.StopApplication();
                return;
            }
        }
        while (await WaitAsync(timer, stoppingToken));
    }

    private static async Task<bool> WaitAsync(PeriodicTimer timer, CancellationToken stoppingToken)
    {
        try
        {
            return await timer.WaitForNextTickAsync(stoppingToken);
        }
        catch (OperationCanceledException)
        {
            return false;
        }
    }

    private static bool HasGetParentPid() => OperatingSystem.IsLinux() || OperatingSystem.IsMacOS() || OperatingSystem.IsFreeBSD();

    private static bool ProcessExists(int pid)
    {
        try
        {
            using var process = Process.GetProcessById(pid);
            return !process.HasExited;
        }
        catch (ArgumentException)
        {
            // GetProcessById throws ArgumentException when no process has this id.
            return false;
        }
        catch (InvalidOperationException)
        {
            return false;
        }
    }

    [LibraryImport("libc", EntryPoint = "getppid")]
    private static partial int GetParentPid();

    [LoggerMessage(Level = LogLevel.Debug, Message = "Watching parent process {ParentPid} by {Method}")]
    private static partial void LogWatching(ILogger logger, int parentPid, string method);

    [LoggerMessage(Level = LogLevel.Warning, Message = "The parent process {ParentPid} has exited; stopping this process")]
    private static partial void LogParentGone(ILogger logger, int parentPid);
}
