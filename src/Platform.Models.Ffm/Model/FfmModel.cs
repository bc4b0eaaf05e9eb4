using System.Buffers;
using System.Runtime.CompilerServices;
using Platform.Models.Ffm.Data;
using Platform.Models.Ffm.Kernels;
using Platform.Models.Ffm.Random;

namespace Platform.Models.Ffm.Model;

/// <summary>
/// A field-aware factorization machine with only the pairwise term, as libffm 1.21. The weights of
/// feature j against field f are a k-vector w[j, f], with k padded to a multiple of 4. Each group of
/// 4 weights is followed by its 4 AdaGrad accumulators, so the buffer contains n·m·k_aligned·2 floats
/// in libffm's SSE layout.
/// </summary>
[SkipLocalsInit]
public sealed unsafe class FfmModel : IDisposable
{
    private readonly WeightBuffer _buffer;

    private FfmModel(int featureCount, int fieldCount, int latentDimension, bool normalization)
    {
        if (latentDimension <= 0)
        {
            throw new ArgumentOutOfRangeException(nameof(latentDimension), latentDimension, "The latent dimension k must be at least 1.");
        }

        if (featureCount < 0 || fieldCount < 0)
        {
            throw new ArgumentOutOfRangeException(nameof(featureCount), $"Feature count n = {featureCount} and field count m = {fieldCount} must not be negative.");
        }

        FeatureCount = featureCount;
        FieldCount = fieldCount;
        LatentDimension = latentDimension;
        AlignedLatentDimension = AlignLatentDimension(latentDimension);
        Normalization = normalization;

        var length = (long)featureCount * fieldCount * AlignedLatentDimension * 2;
        if (length > Array.MaxLength)
        {
            throw new ArgumentOutOfRangeException(
                nameof(featureCount),
                $"A model with n = {featureCount}, m = {fieldCount}, k = {latentDimension} needs {length} floats, more than the maximum array length ({Array.MaxLength}); hash features into fewer ids or lower k.");
        }

        ParameterCount = (int)length;
        _buffer = new WeightBuffer(ParameterCount);
    }

    /// <summary>n: the number of features; ids at or above it are ignored at prediction.</summary>
    public int FeatureCount { get; }

    /// <summary>m: the number of fields.</summary>
    public int FieldCount { get; }

    /// <summary>k: the latent dimension.</summary>
    public int LatentDimension { get; }

    /// <summary>k rounded up to a multiple of 4 (libffm's kALIGN under SSE).</summary>
    public int AlignedLatentDimension { get; }

    /// <summary>Whether scores are scaled by 1 / Σ v² of the instance.</summary>
    public bool Normalization { get; }

    /// <summary>The loss the model was trained with.</summary>
    public FfmLoss Loss { get; set; } = FfmLoss.Logistic;

    /// <summary>
    /// The negative down-sampling rate w of the training data (1 = none). Predictions are calibrated
    /// as p / (p + (1 − p) / w).
    /// </summary>
    public float NdsRate
    {
        get;
        set => field = value > 0 && float.IsFinite(value)
            ? value
            : throw new ArgumentOutOfRangeException(nameof(value), value, "The negative down-sampling rate must be a finite number above 0; use 1 for no down-sampling.");
    }

    = 1f;

    /// <summary>The number of floats in the buffer: n·m·k_aligned·2.</summary>
    public int ParameterCount { get; }

    /// <summary>Weights and AdaGrad accumulators in libffm's layout.</summary>
    public Span<float> Parameters => _buffer.Span;

    internal float* Weights => _buffer.Pointer;

    /// <summary>Floats per (feature, field) block: 2·k_aligned.</summary>
    internal int FieldStride => 2 * AlignedLatentDimension;

    /// <summary>Floats per feature: m·2·k_aligned.</summary>
    internal int FeatureStride => FieldCount * FieldStride;

    internal int Chunks => AlignedLatentDimension / FfmKernels.ChunkWidth;

    /// <summary>Frees the weight memory now instead of at finalisation; the model is unusable afterwards.</summary>
    public void Dispose() => _buffer.Dispose();

    /// <summary>Returns k rounded up to a multiple of 4.</summary>
    public static int AlignLatentDimension(int latentDimension) =>
        (latentDimension + FfmKernels.ChunkWidth - 1) / FfmKernels.ChunkWidth * FfmKernels.ChunkWidth;

    /// <summary>
    /// Creates a model initialised as libffm 1.21 does: weights Uniform[0, 1)/√k drawn from
    /// <c>std::default_random_engine</c> (minstd_rand0, seed 1 by default) in (feature, field, d)
    /// order, padding weights 0 and every AdaGrad accumulator 1.
    /// </summary>
    public static FfmModel CreateInitialized(int featureCount, int fieldCount, int latentDimension, bool normalization, uint seed = 1)
    {
        var model = new FfmModel(featureCount, fieldCount, latentDimension, normalization);
        var random = new MinStdRand0(seed);

        // libffm computes 1.0f / sqrt(int) in double and stores it as float.
        var coefficient = (float)(1.0 / Math.Sqrt(latentDimension));
        var weights = model.Parameters;
        var position = 0;
        var blocks = (long)featureCount * fieldCount;
        for (long block = 0; block < blocks; block++)
        {
            for (var d = 0; d < model.AlignedLatentDimension; d += FfmKernels.ChunkWidth)
            {
                for (var lane = 0; lane < FfmKernels.ChunkWidth; lane++)
                {
                    weights[position + lane] = d + lane < latentDimension ? coefficient * random.NextUniformFloat() : 0f;
                    weights[position + lane + FfmKernels.ChunkWidth] = 1f;
                }

                position += 2 * FfmKernels.ChunkWidth;
            }
        }

        return model;
    }

    /// <summary>Creates a model whose weights are 0 and accumulators 1, for loading or setting weights by hand.</summary>
    public static FfmModel CreateEmpty(int featureCount, int fieldCount, int latentDimension, bool normalization)
    {
        var model = new FfmModel(featureCount, fieldCount, latentDimension, normalization);
        var weights = model.Parameters;
        weights.Clear();
        for (var position = 0; position < weights.Length; position += 2 * FfmKernels.ChunkWidth)
        {
            weights.Slice(position + FfmKernels.ChunkWidth, FfmKernels.ChunkWidth).Fill(1f);
        }

        return model;
    }

    /// <summary>Returns a copy of w[feature, field] (k floats).</summary>
    public float[] GetLatentVector(int feature, int field)
    {
        var vector = new float[LatentDimension];
        var block = BlockOffset(feature, field);
        for (var d = 0; d < LatentDimension; d++)
        {
            vector[d] = Parameters[block + WeightIndex(d)];
        }

        return vector;
    }

    /// <summary>Overwrites w[feature, field] with k floats.</summary>
    public void SetLatentVector(int feature, int field, ReadOnlySpan<float> vector)
    {
        if (vector.Length != LatentDimension)
        {
            throw new ArgumentException($"Expected a latent vector of k = {LatentDimension} floats, got {vector.Length}.", nameof(vector));
        }

        var block = BlockOffset(feature, field);
        for (var d = 0; d < LatentDimension; d++)
        {
            Parameters[block + WeightIndex(d)] = vector[d];
        }
    }

    /// <summary>
    /// Returns the score t of one instance. Features at or above n are skipped, as libffm does; a
    /// field at or above m raises <see cref="FfmModelMismatchException"/>.
    /// </summary>
    public float PredictScore(ReadOnlySpan<FfmNode> row, FfmSimdPath path = FfmSimdPath.Auto)
    {
        float squaredNorm = 0;
        foreach (var node in row)
        {
            if ((uint)node.Field >= (uint)FieldCount)
            {
                throw new FfmModelMismatchException(
                    $"The row uses field {node.Field} but the model has m = {FieldCount} fields (ids 0 to {FieldCount - 1}); use a model trained on data with these fields.");
            }

            squaredNorm += node.Value * node.Value;
        }

        var scale = Normalization && squaredNorm > 0 ? 1f / squaredNorm : 1f;
        return Score(row, scale, path);
    }

    /// <summary>Returns the calibrated click probability of one instance (see <see cref="NdsRate"/>).</summary>
    public float Predict(ReadOnlySpan<FfmNode> row, FfmSimdPath path = FfmSimdPath.Auto) =>
        (float)NdsCalibration.Probability(PredictScore(row, path), NdsRate);

    /// <summary>Returns the score with a given normalisation factor; the caller has checked the fields.</summary>
    internal float Score(ReadOnlySpan<FfmNode> row, float scale, FfmSimdPath path)
    {
        var capacity = FfmKernels.PairCapacity(row.Length);
        PairEntry[]? rented = null;
        var pairs = capacity <= FfmKernels.StackPairCapacity
            ? stackalloc PairEntry[FfmKernels.StackPairCapacity]
            : (rented = ArrayPool<PairEntry>.Shared.Rent(capacity));
        try
        {
            var count = FfmKernels.BuildPairs(this, row, scale, pairs);
            return FfmKernels.Score(Weights, pairs[..count], Chunks, path);
        }
        finally
        {
            if (rented is not null)
            {
                ArrayPool<PairEntry>.Shared.Return(rented);
            }
        }
    }

    private int BlockOffset(int feature, int field)
    {
        if ((uint)feature >= (uint)FeatureCount || (uint)field >= (uint)FieldCount)
        {
            throw new ArgumentOutOfRangeException(
                nameof(feature), $"(feature {feature}, field {field}) is outside the model (n = {FeatureCount}, m = {FieldCount}).");
        }

        return (feature * FeatureStride) + (field * FieldStride);
    }

    private static int WeightIndex(int d) => (d / FfmKernels.ChunkWidth * 2 * FfmKernels.ChunkWidth) + (d % FfmKernels.ChunkWidth);
}
