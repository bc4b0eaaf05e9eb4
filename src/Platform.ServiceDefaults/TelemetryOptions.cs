namespace Platform.ServiceDefaults;

/// <summary>
/// Settings for OpenTelemetry export, bound from the <c>Telemetry</c> configuration section.
/// </summary>
public sealed class TelemetryOptions
{
    /// <summary>Configuration section name.</summary>
    public const string SectionName = "Telemetry";

    /// <summary>
    /// OTLP collector endpoint, for example <c>http://otel-collector:4317</c>. When empty, the
    /// standard <c>OTEL_EXPORTER_OTLP_ENDPOINT</c> variable is used; when both are empty nothing is exported.
    /// </summary>
    public string? OtlpEndpoint { get; set; }
}
