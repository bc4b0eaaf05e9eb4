using System.Collections.Concurrent;

namespace Platform.Operator.Controller;

/// <summary>
/// Per-key exponential backoff: the n-th consecutive failure of a key waits baseDelay * 2^(n-1), capped at
/// maxDelay. The defaults (5 ms up to 1000 s) are controller-runtime's per-item failure limiter.
/// </summary>
public sealed class ExponentialBackoff(TimeSpan baseDelay, TimeSpan maxDelay)
{
    private readonly ConcurrentDictionary<string, int> _failures = new(StringComparer.Ordinal);

    public ExponentialBackoff()
        : this(TimeSpan.FromMilliseconds(5), TimeSpan.FromSeconds(1000))
    {
    }

    /// <summary>Counts a failure of <paramref name="key"/> and returns how long to wait before retrying it.</summary>
    public TimeSpan NextDelay(string key)
    {
        var failures = _failures.AddOrUpdate(key, 1, (_, n) => n + 1);

        // 2^exponent overflows a double's useful range long before the cap matters, so clamp the exponent first.
        var exponent = Math.Min(failures - 1, 62);
        var delayTicks = baseDelay.Ticks * Math.Pow(2, exponent);
        return delayTicks >= maxDelay.Ticks ? maxDelay : TimeSpan.FromTicks((long)delayTicks);
    }

    /// <summary>Number of consecutive failures counted for <paramref name="key"/>.</summary>
    public int Failures(string key) => _failures.TryGetValue(key, out var n) ? n : 0;

    /// <summary>Resets <paramref name="key"/> after a success, so its next failure starts at the base delay.</summary>
    public void Forget(string key) => _failures.TryRemove(key, out _);
}
