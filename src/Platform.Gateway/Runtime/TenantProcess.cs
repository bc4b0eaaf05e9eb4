using System.Diagnostics;
using System.Net;

namespace Platform.Gateway.Runtime;

/// <summary>
/// Supervises one tenant's tracking server: starts it, reads the loopback address it reports, waits
/// for <c>/healthz</c>, publishes the address, and restarts it with exponential backoff when it exits.
/// </summary>
internal sealed partial class TenantProcess : IAsyncDisposable
{
    // A server that stayed up this long is considered recovered, so the next crash restarts quickly again.
    private static readonly TimeSpan StableRunTime = TimeSpan.FromMinutes(1);

    private readonly string _tenant;
    private readonly TrackingServerLaunch _launch;
    private readonly LocalRuntimeOptions _options;
    private readonly HttpClient _healthClient;
    private readonly ILogger _logger;
    private readonly Action _addressChanged;
    private readonly CancellationTokenSource _stopping = new();
    private readonly Lock _readyLock = new();
    private TaskCompletionSource _ready = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private Task? _supervisor;
    private Process? _process;

    public TenantProcess(string tenant, TrackingServerLaunch launch, LocalRuntimeOptions options, HttpClient healthClient, ILogger logger, Action addressChanged)
    {
        _tenant = tenant;
        _launch = launch;
        _options = options;
        _healthClient = healthClient;
        _logger = logger;
        _addressChanged = addressChanged;
    }

    /// <summary>Base address of the healthy tracking server, or null while it is starting or restarting.</summary>
    public string? Address { get; private set; }

    /// <summary>Process id of the current tracking server, or null when none runs.</summary>
    public int? ProcessId => _process is { } process ? process.Id : null;

    /// <summary>Starts supervising in the background.</summary>
    public void Start() => _supervisor = Task.Run(() => SuperviseAsync(_stopping.Token));

    /// <summary>Completes when the server is healthy; throws <see cref="TimeoutException"/> after <paramref name="timeout"/>.</summary>
    public async Task WaitForReadyAsync(TimeSpan timeout, CancellationToken cancellationToken)
    {
        Task ready;
        lock (_readyLock)
        {
            ready = _ready.Task;
        }

        await ready.WaitAsync(timeout, cancellationToken);
    }

    /// <summary>Stops supervising and stops the server (SIGTERM, then a kill of its process tree).</summary>
    public async ValueTask DisposeAsync()
    {
        await _stopping.CancelAsync();
        if (_supervisor is not null)
        {
            await _supervisor;
        }

        _stopping.Dispose();
    }

    private async Task SuperviseAsync(CancellationToken stopping)
    {
        var delay = _options.InitialRestartDelay;
        while (!stopping.IsCancellationRequested)
        {
            var startedAt = Stopwatch.GetTimestamp();
            var exitCode = await RunOnceAsync(stopping);
            if (stopping.IsCancellationRequested)
            {
                break;
            }

            if (Stopwatch.GetElapsedTime(startedAt) >= StableRunTime)
            {
                delay = _options.InitialRestartDelay;
            }

            Log.TrackingServerExited(_logger, _tenant, exitCode, (long)delay.TotalMilliseconds);
            try
            {
                await Task.Delay(delay, stopping);
            }
            catch (OperationCanceledException)
            {
                break;
            }

            delay = TimeSpan.FromTicks(Math.Min(delay.Ticks * 2, _options.MaxRestartDelay.Ticks));
        }
    }

    // Runs the server until it exits or stopping is requested; returns its exit code, or null when it could not start.
    private async Task<int?> RunOnceAsync(CancellationToken stopping)
    {
        var listening = new TaskCompletionSource<string>(TaskCreationOptions.RunContinuationsAsynchronously);
        Process process;
        try
        {
            process = _launch.Start(listening);
        }
        catch (Exception ex) when (ex is System.ComponentModel.Win32Exception or InvalidOperationException or IOException)
        {
            Log.TrackingServerStartFailed(_logger, _tenant, ex);
            return null;
        }

        _process = process;
        Log.TrackingServerStarted(_logger, _tenant, process.Id);
        try
        {
            var address = await WaitForAddressAsync(process, listening.Task, stopping);
            if (address is not null && await WaitForHealthAsync(process, address, stopping))
            {
                // Routes are published before waiters are released, so a caller that sees "ready" finds the route.
                Address = address;
                _addressChanged();
                lock (_readyLock)
                {
                    _ready.TrySetResult();
                }

                Log.TrackingServerReady(_logger, _tenant, address);
                await process.WaitForExitAsync(stopping);
            }
            else if (!process.HasExited && !stopping.IsCancellationRequested)
            {
                Log.TrackingServerUnhealthy(_logger, _tenant, (long)_options.StartTimeout.TotalMilliseconds);
            }
        }
        catch (OperationCanceledException) when (stopping.IsCancellationRequested)
        {
            // Shutdown: the finally block stops the process.
        }
        finally
        {
            if (Address is not null)
            {
                Address = null;
                lock (_readyLock)
                {
                    _ready = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
                }

                _addressChanged();
            }

            await ProcessSignals.StopAsync(process, _options.StopTimeout);
            _process = null;
        }

        return process.ExitCode;
    }

    // Returns the address the server logged, or null when it exited or timed out first.
    private async Task<string?> WaitForAddressAsync(Process process, Task<string> listening, CancellationToken stopping)
    {
        var exited = process.WaitForExitAsync(stopping);
        var timeout = Task.Delay(_options.StartTimeout, stopping);
        var first = await Task.WhenAny(listening, exited, timeout);
        return first == listening ? await listening : null;
    }

    private async Task<bool> WaitForHealthAsync(Process process, string address, CancellationToken stopping)
    {
        var deadline = Stopwatch.GetTimestamp() + (long)(_options.StartTimeout.TotalSeconds * Stopwatch.Frequency);
        while (Stopwatch.GetTimestamp() < deadline && !process.HasExited)
        {
            try
            {
                using var response = await _healthClient.GetAsync(address + "/healthz", stopping);
                if (response.StatusCode == HttpStatusCode.OK)
                {
                    return true;
                }
            }
            catch (HttpRequestException)
            {
                // Not listening yet.
            }

            await Task.Delay(TimeSpan.FromMilliseconds(100), stopping);
        }

        return false;
    }

    private static partial class Log
    {
        [LoggerMessage(EventId = 2301, Level = LogLevel.Information, Message = "Started tracking server for tenant {Tenant}: process {ProcessId}")]
        public static partial void TrackingServerStarted(ILogger logger, string tenant, int processId);

        [LoggerMessage(EventId = 2302, Level = LogLevel.Information, Message = "Tracking server for tenant {Tenant} is healthy at {Address}")]
        public static partial void TrackingServerReady(ILogger logger, string tenant, string address);

        [LoggerMessage(EventId = 2303, Level = LogLevel.Warning, Message = "Tracking server for tenant {Tenant} exited with code {ExitCode}; restarting in {DelayMs} ms")]
        public static partial void TrackingServerExited(ILogger logger, string tenant, int? exitCode, long delayMs);

        [LoggerMessage(EventId = 2304, Level = LogLevel.Error, Message = "Starting the tracking server for tenant {Tenant} failed")]
        public static partial void TrackingServerStartFailed(ILogger logger, string tenant, Exception exception);

        [LoggerMessage(EventId = 2305, Level = LogLevel.Warning, Message = "Tracking server for tenant {Tenant} did not log its address or pass /healthz within {TimeoutMs} ms; stopping it and retrying")]
        public static partial void TrackingServerUnhealthy(ILogger logger, string tenant, long timeoutMs);
    }
}
