using System.Collections.Concurrent;
using System.Diagnostics;

namespace Platform.Benchmarks;

/// <summary>Collects per-operation latencies from many concurrent clients.</summary>
internal sealed class LatencyRecorder
{
    private readonly ConcurrentDictionary<string, ConcurrentBag<double>> _samples = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, int> _errors = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, string> _firstError = new(StringComparer.Ordinal);

    /// <summary>Times <paramref name="action"/> under <paramref name="operation"/>; a failure is counted, its first message kept, and null returned.</summary>
    public async Task<T?> MeasureAsync<T>(string operation, Func<Task<T>> action)
    {
        var started = Stopwatch.GetTimestamp();
        try
        {
            var result = await action();
            _samples.GetOrAdd(operation, _ => []).Add(Stopwatch.GetElapsedTime(started).TotalMilliseconds);
            return result;
        }
        catch (Exception ex) when (ex is HttpRequestException or Platform.Tracking.Client.MlflowException or TimeoutException)
        {
            _errors.AddOrUpdate(operation, 1, (_, count) => count + 1);
            _firstError.TryAdd(operation, ex.Message);
            return default;
        }
    }

    /// <summary>Times <paramref name="action"/>; returns whether it succeeded.</summary>
    public async Task<bool> MeasureAsync(string operation, Func<Task> action) =>
        await MeasureAsync(operation, async () =>
        {
            await action();
            return true;
        });

    public LatencySummary Summarize(string operation)
    {
        var samples = _samples.TryGetValue(operation, out var bag) ? bag.Order().ToArray() : [];
        return new LatencySummary(
            operation,
            samples.Length,
            _errors.GetValueOrDefault(operation),
            samples.Length == 0 ? double.NaN : samples.Average(),
            Percentile(samples, 0.50),
            Percentile(samples, 0.95),
            _firstError.GetValueOrDefault(operation));
    }

    // Nearest-rank percentile over sorted samples.
    private static double Percentile(double[] sorted, double fraction) =>
        sorted.Length == 0 ? double.NaN : sorted[Math.Clamp((int)Math.Ceiling(fraction * sorted.Length) - 1, 0, sorted.Length - 1)];
}

/// <summary>Latency statistics of one operation in milliseconds.</summary>
internal sealed record LatencySummary(string Operation, int Count, int Errors, double Mean, double P50, double P95, string? FirstError);
