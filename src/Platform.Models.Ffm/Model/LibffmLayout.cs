namespace Platform.Models.Ffm.Model;

/// <summary>How a libffm 1.21 binary model interleaves weights with AdaGrad accumulators.</summary>
public enum LibffmLayout
{
    /// <summary>Decide by file size; when both layouts give the same size (k a multiple of 4), assume <see cref="Sse"/>.</summary>
    Auto,

    /// <summary>An SSE build (the default Makefile): groups of 4 weights, each followed by its 4 accumulators.</summary>
    Sse,

    /// <summary>A build without SSE: each weight followed by its accumulator, k not padded.</summary>
    Scalar,
}
