using System.Net;
using System.Net.Http.Headers;

namespace Platform.Tracking.Client;

/// <summary>Decides whether and when to retry: exponential backoff with jitter, or the server's <c>Retry-After</c>.</summary>
internal sealed class RetryPolicy(TrackingClientOptions options)
{
    public int MaxRetries => options.MaxRetries;

    /// <summary>
    /// Whether a status is transient: 408, 429, 500, 502, 503 and 504, the set MLflow's Python client retries.
    /// Other 4xx and 501 are deterministic, so a retry would fail the same way.
    /// </summary>
    public static bool IsRetryable(HttpStatusCode statusCode) => (int)statusCode is 408 or 429 or 500 or 502 or 503 or 504;

    /// <summary>Returns the delay before retry number <paramref name="retry"/> (0 for the first retry).</summary>
    public TimeSpan GetDelay(int retry, RetryConditionHeaderValue? retryAfter, DateTimeOffset now)
    {
        if (ParseRetryAfter(retryAfter, now) is { } serverDelay)
        {
            return serverDelay > options.MaxRetryAfter ? options.MaxRetryAfter : serverDelay;
        }

        var exponent = Math.Min(retry, 30);
        var backoffTicks = Math.Min(options.MaxBackoff.Ticks, options.InitialBackoff.Ticks * (double)(1L << exponent));
        var jitterTicks = options.MaxJitter.Ticks * Random.Shared.NextDouble();
        return TimeSpan.FromTicks((long)(backoffTicks + jitterTicks));
    }

    private static TimeSpan? ParseRetryAfter(RetryConditionHeaderValue? retryAfter, DateTimeOffset now)
    {
        if (retryAfter?.Delta is { } delta)
        {
            return delta < TimeSpan.Zero ? TimeSpan.Zero : delta;
        }

        if (retryAfter?.Date is { } date)
        {
            var delay = date - now;
            return delay < TimeSpan.Zero ? TimeSpan.Zero : delay;
        }

        return null;
    }
}
