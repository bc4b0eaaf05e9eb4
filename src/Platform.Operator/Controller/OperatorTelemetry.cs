using System.Diagnostics.Metrics;

namespace Platform.Operator.Controller;

/// <summary>The operator's meter: reconcile counts by outcome and reconcile durations.</summary>
public sealed class OperatorTelemetry : IDisposable
{
    public const string MeterName = "Platform.Operator";

    private readonly Meter _meter;
    private readonly Counter<long> _reconciles;
    private readonly Histogram<double> _durations;

    public OperatorTelemetry(IMeterFactory meterFactory)
    {
        ArgumentNullException.ThrowIfNull(meterFactory);
        _meter = meterFactory.Create(MeterName);
        _reconciles = _meter.CreateCounter<long>("labplatform.operator.reconciles", description: "Finished reconciles by outcome.");
        _durations = _meter.CreateHistogram<double>("labplatform.operator.reconcile.duration", unit: "s", description: "Time one reconcile took.");
    }

    public void RecordReconcile(string outcome, TimeSpan duration)
    {
        var tag = new KeyValuePair<string, object?>("outcome", outcome);
        _reconciles.Add(1, tag);
        _durations.Record(duration.TotalSeconds, tag);
    }

    public void Dispose() => _meter.Dispose();
}
