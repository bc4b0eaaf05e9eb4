namespace Platform.Models.Ffm.Data;

/// <summary>Settings of <see cref="FfmTextParser"/>.</summary>
public sealed class FfmParseOptions
{
    /// <summary>How many threads parse slices of the input at once; 0 uses one per processor.</summary>
    public int DegreeOfParallelism { get; set; }

    /// <summary>Inputs smaller than this many bytes per thread are parsed by fewer threads.</summary>
    public int MinBytesPerThread { get; set; } = 1 << 20;
}
