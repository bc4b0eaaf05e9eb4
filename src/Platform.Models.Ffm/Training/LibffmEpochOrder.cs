using Platform.Models.Ffm.Data;
using Platform.Models.Ffm.Random;

namespace Platform.Models.Ffm.Training;

/// <summary>
/// The row order of each pass, drawn as libffm 1.21 draws it: its binary file splits rows into
/// blocks that close once they exceed 10,000,000 non-zeros, plus one empty block at the end; every
/// pass (training and validation alike) shuffles the block order and then the rows inside each
/// block with <c>std::random_shuffle</c>, all from one glibc <c>rand()</c> stream.
/// </summary>
internal sealed class LibffmEpochOrder(uint seed)
{
    private const long BlockNonZeros = 10_000_000;
    private readonly GlibcRandom _random = new(seed);

    /// <summary>Returns the next pass's order of the rows of <paramref name="problem"/>.</summary>
    public int[] Next(FfmProblem problem)
    {
        var blocks = Blocks(problem);
        var blockOrder = new int[blocks.Count];
        for (var i = 0; i < blockOrder.Length; i++)
        {
            blockOrder[i] = i;
        }

        _random.RandomShuffle(blockOrder);

        var order = new int[problem.RowCount];
        var position = 0;
        foreach (var block in blockOrder)
        {
            var (start, count) = blocks[block];
            var rows = order.AsSpan(position, count);
            for (var i = 0; i < count; i++)
            {
                rows[i] = i;
            }

            _random.RandomShuffle(rows);
            for (var i = 0; i < count; i++)
            {
                rows[i] += start;
            }

            position += count;
        }

        return order;
    }

    private static List<(int Start, int Count)> Blocks(FfmProblem problem)
    {
        var blocks = new List<(int Start, int Count)>();
        var start = 0;
        for (var row = 0; row < problem.RowCount; row++)
        {
            if (problem.RowOffsets[row + 1] - problem.RowOffsets[start] > BlockNonZeros)
            {
                blocks.Add((start, row + 1 - start));
                start = row + 1;
            }
        }

        // libffm always writes the last block, even when empty, and then one more empty block.
        blocks.Add((start, problem.RowCount - start));
        blocks.Add((problem.RowCount, 0));
        return blocks;
    }
}
