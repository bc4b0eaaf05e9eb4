namespace Platform.Models.Ffm.Synthetic;

/// <summary>Shape of a Criteo-like synthetic data set.</summary>
public sealed class SyntheticDataOptions
{
    /// <summary>Number of rows to write.</summary>
    public int Rows { get; set; } = 200_000;

    /// <summary>Fields per row, each with one non-zero of value 1 (Criteo has 39).</summary>
    public int Fields { get; set; } = 39;

    /// <summary>Number of distinct feature ids (n).</summary>
    public int Features { get; set; } = 1_000_000;

    /// <summary>How feature ids are drawn.</summary>
    public SyntheticIdDistribution Distribution { get; set; } = SyntheticIdDistribution.Zipf;

    /// <summary>Exponent s of the Zipf distribution: the id of rank r is drawn with probability ∝ 1 / r^s.</summary>
    public double ZipfExponent { get; set; } = 1.0;

    /// <summary>Seed of the generator; the same seed writes the same bytes.</summary>
    public int Seed { get; set; } = 42;

    /// <summary>Raises <see cref="ArgumentOutOfRangeException"/> naming the first invalid option.</summary>
    public void Validate()
    {
        if (Rows < 0)
        {
            throw new ArgumentOutOfRangeException(nameof(Rows), Rows, "The row count must not be negative.");
        }

        if (Fields <= 0)
        {
            throw new ArgumentOutOfRangeException(nameof(Fields), Fields, "The field count must be at least 1.");
        }

        if (Features < Fields)
        {
            throw new ArgumentOutOfRangeException(nameof(Features), Features, $"The feature count must be at least the field count ({Fields}).");
        }

        if (!(ZipfExponent > 0) || !double.IsFinite(ZipfExponent))
        {
            throw new ArgumentOutOfRangeException(nameof(ZipfExponent), ZipfExponent, "The Zipf exponent must be a finite number above 0.");
        }
    }
}
