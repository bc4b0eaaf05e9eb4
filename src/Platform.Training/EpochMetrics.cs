namespace Platform.Training;

/// <summary>The metrics of one epoch, keyed by metric name (for example <c>validation_logloss</c>).</summary>
public sealed record EpochMetrics(int Epoch, IReadOnlyDictionary<string, double> Values, TimeSpan Duration)
{
    /// <summary>Returns the metric's value, or throws when the epoch did not report it.</summary>
    public double Get(string name) =>
        Values.TryGetValue(name, out var value)
            ? value
            : throw new KeyNotFoundException(
                $"Epoch {Epoch} reported no metric '{name}'. Reported metrics: {string.Join(", ", Values.Keys)}.");
}
