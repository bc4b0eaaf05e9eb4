namespace Platform.Models.Ffm.Synthetic;

/// <summary>How the synthetic generator draws feature ids.</summary>
public enum SyntheticIdDistribution
{
    /// <summary>Each field owns an equal slice of the feature ids and draws from it with Zipf-skewed frequencies.</summary>
    Zipf,

    /// <summary>Every field draws uniformly from all feature ids, as after the hashing trick.</summary>
    Uniform,
}
