using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using Platform.Models.Ffm.Data;
using Platform.Models.Ffm.Model;

namespace Platform.Models.Ffm.Kernels;

/// <summary>
/// The inner loops of libffm's <c>wTx</c>: the score Σ ⟨w[j1,f2], w[j2,f1]⟩·v1·v2·r over all pairs of
/// an instance and the AdaGrad update of the same pairs. For each (feature, field) the weight buffer
/// contains chunks of 4 weights, each followed by their 4 AdaGrad accumulators (libffm's SSE layout).
/// The 256- and 512-bit paths score 2 or 4 pairs per instruction. Updates go pair by pair in libffm's
/// order, because two pairs of one instance can share a weight vector.
/// </summary>
[SkipLocalsInit]
internal static unsafe class FfmKernels
{
    /// <summary>Floats per chunk: 4 weights, then their 4 accumulators follow.</summary>
    public const int ChunkWidth = 4;

    /// <summary>Pairs that fit the stack buffer of the callers (12 bytes each).</summary>
    public const int StackPairCapacity = 1024;

    /// <summary>Returns the number of pairs a row of <paramref name="nonZeros"/> non-zeros can produce.</summary>
    public static int PairCapacity(int nonZeros)
    {
        var pairs = (long)nonZeros * (nonZeros - 1) / 2;
        if (pairs > Array.MaxLength)
        {
            throw new ArgumentOutOfRangeException(
                nameof(nonZeros), nonZeros, "A row has too many non-zeros: its feature pairs exceed the largest array. Rows are limited to 65,535 non-zeros.");
        }

        return (int)Math.Max(0, pairs);
    }

    /// <summary>
    /// Lists the pairs of a row whose features and fields are inside the model, in libffm's order.
    /// Non-zeros with feature ≥ n or field ≥ m are skipped, as libffm does.
    /// </summary>
    public static int BuildPairs(FfmModel model, ReadOnlySpan<FfmNode> row, float scale, Span<PairEntry> pairs)
    {
        var n = (uint)model.FeatureCount;
        var m = (uint)model.FieldCount;
        var fieldStride = model.FieldStride;
        var featureStride = model.FeatureStride;
        var length = row.Length;
        if (pairs.Length < PairCapacity(length))
        {
            // The pointer loop below writes without bounds checks, so the buffer is checked once here.
            throw new ArgumentException($"The pair buffer has {pairs.Length} entries but a row of {length} non-zeros needs up to {PairCapacity(length)}.", nameof(pairs));
        }

        var count = 0;
        fixed (FfmNode* nodes = row)
        fixed (PairEntry* output = pairs)
        {
            for (var i1 = 0; i1 < length; i1++)
            {
                var node1 = nodes[i1];
                if ((uint)node1.Feature >= n || (uint)node1.Field >= m)
                {
                    continue;
                }

                var base1 = node1.Feature * featureStride;
                var cross2 = node1.Field * fieldStride;
                var value1 = node1.Value;
                for (var node2 = nodes + i1 + 1; node2 < nodes + length; node2++)
                {
                    if ((uint)node2->Feature >= n || (uint)node2->Field >= m)
                    {
                        continue;
                    }

                    output[count++] = new PairEntry(
                        base1 + (node2->Field * fieldStride),
                        (node2->Feature * featureStride) + cross2,
                        value1 * node2->Value * scale);
                }
            }
        }

        return count;
    }

    /// <summary>Returns the score t of an instance from its pair list.</summary>
    public static float Score(float* weights, ReadOnlySpan<PairEntry> pairs, int chunks, FfmSimdPath path) =>
        FfmSimd.Resolve(path) switch
        {
            FfmSimdPath.Vector512 => ScoreVector512(weights, pairs, chunks),
            FfmSimdPath.Vector256 => ScoreVector256(weights, pairs, chunks),
            _ => ScoreScalar(weights, pairs, chunks),
        };

    /// <summary>
    /// Applies one AdaGrad step to every pair: g = λ·w + κ·v·w', G += g², w -= η·g/√G, with the
    /// exact square root (libffm's SSE build uses the approximate <c>rsqrtps</c>). The vector paths
    /// update both vectors of a pair in one 256-bit register; all paths give bit-identical weights.
    /// </summary>
    public static void Update(float* weights, ReadOnlySpan<PairEntry> pairs, int chunks, float kappa, float eta, float lambda, FfmSimdPath path)
    {
        if (FfmSimd.Resolve(path) == FfmSimdPath.Scalar)
        {
            UpdateScalar(weights, pairs, chunks, kappa, eta, lambda);
        }
        else
        {
            UpdateVector256(weights, pairs, chunks, kappa, eta, lambda);
        }
    }

    private static float ScoreScalar(float* weights, ReadOnlySpan<PairEntry> pairs, int chunks)
    {
        // Four lane sums mirror libffm's SSE accumulator so that all paths add in the same lanes.
        float a0 = 0, a1 = 0, a2 = 0, a3 = 0;
        foreach (var pair in pairs)
        {
            var w1 = weights + pair.Offset1;
            var w2 = weights + pair.Offset2;
            var v = pair.Value;
            for (var c = 0; c < chunks; c++, w1 += 2 * ChunkWidth, w2 += 2 * ChunkWidth)
            {
                a0 += w1[0] * w2[0] * v;
                a1 += w1[1] * w2[1] * v;
                a2 += w1[2] * w2[2] * v;
                a3 += w1[3] * w2[3] * v;
            }
        }

        return (a0 + a1) + (a2 + a3);
    }

    private static float ScoreVector256(float* weights, ReadOnlySpan<PairEntry> pairs, int chunks)
    {
        var sum = Vector256<float>.Zero;
        var i = 0;
        for (; i + 1 < pairs.Length; i += 2)
        {
            var a = pairs[i];
            var b = pairs[i + 1];
            var v = Vector256.Create(Vector128.Create(a.Value), Vector128.Create(b.Value));
            for (var c = 0; c < chunks; c++)
            {
                var offset = c * 2 * ChunkWidth;
                var x = Vector256.Create(Vector128.Load(weights + a.Offset1 + offset), Vector128.Load(weights + b.Offset1 + offset));
                var y = Vector256.Create(Vector128.Load(weights + a.Offset2 + offset), Vector128.Load(weights + b.Offset2 + offset));
                sum += x * y * v;
            }
        }

        var lanes = sum.GetLower() + sum.GetUpper();
        lanes = AddRemainder(weights, pairs[i..], chunks, lanes);
        return HorizontalSum(lanes);
    }

    private static float ScoreVector512(float* weights, ReadOnlySpan<PairEntry> pairs, int chunks)
    {
        var sum = Vector512<float>.Zero;
        var i = 0;
        for (; i + 3 < pairs.Length; i += 4)
        {
            var a = pairs[i];
            var b = pairs[i + 1];
            var c = pairs[i + 2];
            var d = pairs[i + 3];
            var v = Vector512.Create(
                Vector256.Create(Vector128.Create(a.Value), Vector128.Create(b.Value)),
                Vector256.Create(Vector128.Create(c.Value), Vector128.Create(d.Value)));
            for (var chunk = 0; chunk < chunks; chunk++)
            {
                var offset = chunk * 2 * ChunkWidth;
                var x = Vector512.Create(
                    Vector256.Create(Vector128.Load(weights + a.Offset1 + offset), Vector128.Load(weights + b.Offset1 + offset)),
                    Vector256.Create(Vector128.Load(weights + c.Offset1 + offset), Vector128.Load(weights + d.Offset1 + offset)));
                var y = Vector512.Create(
                    Vector256.Create(Vector128.Load(weights + a.Offset2 + offset), Vector128.Load(weights + b.Offset2 + offset)),
                    Vector256.Create(Vector128.Load(weights + c.Offset2 + offset), Vector128.Load(weights + d.Offset2 + offset)));
                sum += x * y * v;
            }
        }

        var half = sum.GetLower() + sum.GetUpper();
        var lanes = half.GetLower() + half.GetUpper();
        lanes = AddRemainder(weights, pairs[i..], chunks, lanes);
        return HorizontalSum(lanes);
    }

    private static Vector128<float> AddRemainder(float* weights, ReadOnlySpan<PairEntry> pairs, int chunks, Vector128<float> lanes)
    {
        foreach (var pair in pairs)
        {
            var v = Vector128.Create(pair.Value);
            for (var c = 0; c < chunks; c++)
            {
                var offset = c * 2 * ChunkWidth;
                lanes += Vector128.Load(weights + pair.Offset1 + offset) * Vector128.Load(weights + pair.Offset2 + offset) * v;
            }
        }

        return lanes;
    }

    /// <summary>Adds the lanes as two <c>haddps</c> do: (l0 + l1) + (l2 + l3).</summary>
    private static float HorizontalSum(Vector128<float> lanes) =>
        (lanes.GetElement(0) + lanes.GetElement(1)) + (lanes.GetElement(2) + lanes.GetElement(3));

    private static void UpdateScalar(float* weights, ReadOnlySpan<PairEntry> pairs, int chunks, float kappa, float eta, float lambda)
    {
        foreach (var pair in pairs)
        {
            var kappaValue = kappa * pair.Value;
            var w1 = weights + pair.Offset1;
            var w2 = weights + pair.Offset2;
            for (var c = 0; c < chunks; c++, w1 += 2 * ChunkWidth, w2 += 2 * ChunkWidth)
            {
                for (var d = 0; d < ChunkWidth; d++)
                {
                    var x1 = w1[d];
                    var x2 = w2[d];
                    var g1 = (lambda * x1) + (kappaValue * x2);
                    var g2 = (lambda * x2) + (kappaValue * x1);
                    var sum1 = w1[d + ChunkWidth] + (g1 * g1);
                    var sum2 = w2[d + ChunkWidth] + (g2 * g2);

                    // Stored in libffm's order (w1, w2, G1, G2) so that a pair whose two vectors coincide ends the same way.
                    w1[d] = x1 - (eta * ((1f / MathF.Sqrt(sum1)) * g1));
                    w2[d] = x2 - (eta * ((1f / MathF.Sqrt(sum2)) * g2));
                    w1[d + ChunkWidth] = sum1;
                    w2[d + ChunkWidth] = sum2;
                }
            }
        }
    }

    private static void UpdateVector256(float* weights, ReadOnlySpan<PairEntry> pairs, int chunks, float kappa, float eta, float lambda)
    {
        var lambdaVector = Vector256.Create(lambda);
        var etaVector = Vector256.Create(eta);
        var ones = Vector256.Create(1f);
        foreach (var pair in pairs)
        {
            var kappaValue = Vector256.Create(kappa * pair.Value);
            var w1 = weights + pair.Offset1;
            var w2 = weights + pair.Offset2;
            for (var c = 0; c < chunks; c++, w1 += 2 * ChunkWidth, w2 += 2 * ChunkWidth)
            {
                // Lower half: w[j1, f2]; upper half: w[j2, f1]. Each vector's gradient uses the other.
                var first = Vector128.Load(w1);
                var second = Vector128.Load(w2);
                var both = Vector256.Create(first, second);
                var swapped = Vector256.Create(second, first);
                var sums = Vector256.Create(Vector128.Load(w1 + ChunkWidth), Vector128.Load(w2 + ChunkWidth));
                var gradient = (lambdaVector * both) + (kappaValue * swapped);
                sums += gradient * gradient;
                both -= etaVector * ((ones / Vector256.Sqrt(sums)) * gradient);

                // Stored in libffm's order (w1, w2, G1, G2) so that a pair whose two vectors coincide ends the same way.
                both.GetLower().Store(w1);
                both.GetUpper().Store(w2);
                sums.GetLower().Store(w1 + ChunkWidth);
                sums.GetUpper().Store(w2 + ChunkWidth);
            }
        }
    }
}
