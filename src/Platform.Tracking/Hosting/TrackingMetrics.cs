using System.Diagnostics.Metrics;

namespace Platform.Tracking.Hosting;

/// <summary>The tracking server's own OpenTelemetry instruments, on the meter named <see cref="MeterName"/>.</summary>
public sealed class TrackingMetrics
{
    public const string MeterName = "Platform.Tracking";

    private readonly Counter<long> _metricPoints;
    private readonly Counter<long> _runsCreated;

    public TrackingMetrics(IMeterFactory meterFactory)
    {
        ArgumentNullException.ThrowIfNull(meterFactory);

        var meter = meterFactory.Create(MeterName);
        _metricPoints = meter.CreateCounter<long>("labplatform.tracking.metric_points", unit: "{point}", description: "Metric points accepted by log-metric and log-batch.");
        _runsCreated = meter.CreateCounter<long>("labplatform.tracking.runs_created", unit: "{run}", description: "Runs created.");
    }

    public void MetricPointsLogged(int count) => _metricPoints.Add(count);

    public void RunCreated() => _runsCreated.Add(1);
}
