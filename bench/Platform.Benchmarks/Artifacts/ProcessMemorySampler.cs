using System.Diagnostics;
using System.Globalization;

namespace Platform.Benchmarks.Artifacts;

/// <summary>
/// Tracks the peak resident set size (RSS) of another process while a transfer runs: it samples
/// <see cref="Process.WorkingSet64"/> every 20 ms and, on Linux, also reads the kernel's own peak
/// (<c>VmHWM</c> in /proc/PID/status) after resetting it, so short spikes between samples are counted too.
/// </summary>
internal sealed class ProcessMemorySampler : IAsyncDisposable
{
    private readonly Process _process;
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _sampling;
    private readonly bool _kernelPeakUsable;
    private long _peakSampled;

    private ProcessMemorySampler(Process process, bool kernelPeakUsable)
    {
        _process = process;
        _kernelPeakUsable = kernelPeakUsable;
        _sampling = SampleAsync();
    }

    /// <summary>Returns the current RSS of <paramref name="process"/> in bytes.</summary>
    public static long CurrentRss(Process process)
    {
        process.Refresh();
        return process.WorkingSet64;
    }

    /// <summary>Resets the kernel's peak-RSS counter where supported and starts sampling.</summary>
    public static ProcessMemorySampler Start(Process process) => new(process, TryResetKernelPeak(process.Id));

    /// <summary>Stops sampling and returns the peak RSS in bytes seen since <see cref="Start"/>.</summary>
    public async Task<long> StopAsync()
    {
        await _stop.CancelAsync();
        try
        {
            await _sampling;
        }
        catch (OperationCanceledException)
        {
            // The sampling loop ends this way.
        }

        var kernelPeak = _kernelPeakUsable ? ReadKernelPeak(_process.Id) : null;
        return Math.Max(_peakSampled, kernelPeak ?? 0);
    }

    public async ValueTask DisposeAsync()
    {
        if (!_stop.IsCancellationRequested)
        {
            await StopAsync();
        }

        _stop.Dispose();
    }

    private async Task SampleAsync()
    {
        using var timer = new PeriodicTimer(TimeSpan.FromMilliseconds(20));
        while (await timer.WaitForNextTickAsync(_stop.Token))
        {
            _peakSampled = Math.Max(_peakSampled, CurrentRss(_process));
        }
    }

    // Writing 5 to clear_refs resets VmHWM to the current RSS (Linux 4.0 and later). Without the reset
    // the kernel peak would include start-up, so it is only read when the reset worked.
    private static bool TryResetKernelPeak(int processId)
    {
        try
        {
            File.WriteAllText($"/proc/{processId}/clear_refs", "5");
            return true;
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            return false;
        }
    }

    private static long? ReadKernelPeak(int processId)
    {
        var line = File.ReadLines($"/proc/{processId}/status").FirstOrDefault(l => l.StartsWith("VmHWM:", StringComparison.Ordinal));
        var parts = line?.Split(' ', StringSplitOptions.RemoveEmptyEntries);
        return parts is { Length: >= 2 } && long.TryParse(parts[1], NumberStyles.None, CultureInfo.InvariantCulture, out var kib) ? kib * 1024 : null;
    }
}
