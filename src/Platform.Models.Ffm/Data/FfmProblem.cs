namespace Platform.Models.Ffm.Data;

/// <summary>
/// A parsed data set in compressed sparse row form: the non-zeros of row <c>i</c> are
/// <c>Nodes[RowOffsets[i]..RowOffsets[i + 1]]</c>.
/// </summary>
public sealed class FfmProblem
{
    public FfmProblem(float[] labels, float[] scales, long[] rowOffsets, FfmNode[] nodes, int fieldCount, int featureCount)
    {
        ArgumentNullException.ThrowIfNull(labels);
        ArgumentNullException.ThrowIfNull(scales);
        ArgumentNullException.ThrowIfNull(rowOffsets);
        ArgumentNullException.ThrowIfNull(nodes);
        if (scales.Length != labels.Length || rowOffsets.Length != labels.Length + 1)
        {
            throw new ArgumentException(
                $"Inconsistent row arrays: {labels.Length} labels, {scales.Length} scales, {rowOffsets.Length} row offsets (expected labels + 1).");
        }

        if (rowOffsets[^1] != nodes.Length)
        {
            throw new ArgumentException($"The last row offset is {rowOffsets[^1]} but there are {nodes.Length} nodes.");
        }

        Labels = labels;
        Scales = scales;
        RowOffsets = rowOffsets;
        Nodes = nodes;
        FieldCount = fieldCount;
        FeatureCount = featureCount;
    }

    /// <summary>Targets as libffm stores them: +1 for a positive label (label &gt; 0), -1 otherwise.</summary>
    public float[] Labels { get; }

    /// <summary>Instance normalisation factors 1 / Σ v² per row (1 for a row whose values are all 0).</summary>
    public float[] Scales { get; }

    /// <summary>Start of each row in <see cref="Nodes"/>, plus the end of the last row.</summary>
    public long[] RowOffsets { get; }

    /// <summary>All non-zeros, row after row.</summary>
    public FfmNode[] Nodes { get; }

    /// <summary>m: the largest field id + 1.</summary>
    public int FieldCount { get; }

    /// <summary>n: the largest feature id + 1.</summary>
    public int FeatureCount { get; }

    /// <summary>The number of rows.</summary>
    public int RowCount => Labels.Length;

    /// <summary>The non-zeros of one row.</summary>
    public ReadOnlySpan<FfmNode> Row(int row) =>
        Nodes.AsSpan((int)RowOffsets[row], (int)(RowOffsets[row + 1] - RowOffsets[row]));

    /// <summary>Whether the row's label is positive.</summary>
    public bool IsPositive(int row) => Labels[row] > 0;
}
