namespace Platform.Gateway.Runtime;

/// <summary>Local tenant runtime settings, bound from the <c>Runtime</c> configuration section.</summary>
public sealed class LocalRuntimeOptions
{
    public const string SectionName = "Runtime";

    /// <summary>
    /// The tracking server to start per tenant: a <c>.dll</c> is run with <c>dotnet</c>, any other file
    /// is executed directly. Empty means: <c>Platform.Tracking.dll</c> next to the gateway, else the
    /// newest build under <c>src/Platform.Tracking/bin</c> of the source tree the gateway runs from.
    /// </summary>
    public string? TrackingServerPath { get; set; }

    /// <summary>How long a started tracking server may take until <c>/healthz</c> returns 200.</summary>
    public TimeSpan StartTimeout { get; set; } = TimeSpan.FromSeconds(60);

    /// <summary>First delay before restarting a crashed tracking server; it doubles per crash up to <see cref="MaxRestartDelay"/>.</summary>
    public TimeSpan InitialRestartDelay { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>Largest delay between restarts of a crashing tracking server.</summary>
    public TimeSpan MaxRestartDelay { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>How long a stopping tracking server may take to exit after SIGTERM before its process tree is killed.</summary>
    public TimeSpan StopTimeout { get; set; } = TimeSpan.FromSeconds(5);
}
