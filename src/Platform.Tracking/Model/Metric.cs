namespace Platform.Tracking.Model;

/// <summary>
/// One metric point. <see cref="Timestamp"/> is in milliseconds since the Unix epoch. MLflow 3 clients may link a
/// point to the logged model and the dataset it was computed for; all three are null otherwise.
/// </summary>
public sealed record Metric(string Key, double Value, long Timestamp, long Step, string? ModelId = null, string? DatasetName = null, string? DatasetDigest = null)
{
    /// <summary>
    /// Returns whether this point replaces <paramref name="other"/> as the latest value: larger step, then
    /// larger timestamp, then larger value (MLflow's SQL store rule). NaN counts as 0, as the stored row does.
    /// </summary>
    public bool IsNewerThan(Metric other)
    {
        if (Step != other.Step)
        {
            return Step > other.Step;
        }

        if (Timestamp != other.Timestamp)
        {
            return Timestamp > other.Timestamp;
        }

        return Comparable(Value) > Comparable(other.Value);
    }

    private static double Comparable(double value) => double.IsNaN(value) ? 0 : value;
}
