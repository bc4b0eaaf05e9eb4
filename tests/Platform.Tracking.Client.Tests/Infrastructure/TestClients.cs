namespace Platform.Tracking.Client.Tests;

/// <summary>Client options for tests: fast retries and a flush interval long enough that only explicit flushes send.</summary>
public static class TestClients
{
    public static TrackingClientOptions Options(Uri trackingUri, Action<TrackingClientOptions>? configure = null)
    {
        var options = new TrackingClientOptions
        {
            TrackingUri = trackingUri,
            Token = "test-token",
            InitialBackoff = TimeSpan.FromMilliseconds(5),
            MaxBackoff = TimeSpan.FromMilliseconds(50),
            MaxJitter = TimeSpan.FromMilliseconds(5),
            MaxRetries = 3,
            RequestTimeout = TimeSpan.FromSeconds(30),
            MetricFlushInterval = TimeSpan.FromMinutes(10),
            ModelCacheDirectory = Path.Combine(Path.GetTempPath(), "labplatform-client-tests", Guid.NewGuid().ToString("N")),
        };
        configure?.Invoke(options);
        return options;
    }

    public static TrackingClient Create(RecordingServer server, Action<TrackingClientOptions>? configure = null) =>
        new(Options(server.TrackingUri, configure));
}
