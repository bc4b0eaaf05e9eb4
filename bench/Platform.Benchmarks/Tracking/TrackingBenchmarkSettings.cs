namespace Platform.Benchmarks.Tracking;

/// <summary>Options of the <c>tracking</c> command.</summary>
internal sealed record TrackingBenchmarkSettings(
    string ServerDll,
    IReadOnlyList<string> Backends,
    string PostgresConnectionString,
    int Clients,
    int Iterations,
    int IngestWriters,
    int IngestSeconds,
    string? OutputPath);
