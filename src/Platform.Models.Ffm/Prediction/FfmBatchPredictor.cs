using System.Runtime.CompilerServices;
using Platform.Models.Ffm.Data;
using Platform.Models.Ffm.Kernels;
using Platform.Models.Ffm.Model;

namespace Platform.Models.Ffm.Prediction;

/// <summary>
/// Scores whole data sets. Feature ids at or above the model's n are skipped, as libffm does,
/// because unseen features have no weights. Field ids at or above m are rejected, because they
/// mean that the data was built with other field dictionaries than the model.
/// </summary>
[SkipLocalsInit]
public static class FfmBatchPredictor
{
    /// <summary>Writes the calibrated probability of every row of <paramref name="problem"/> into <paramref name="probabilities"/>.</summary>
    public static void Predict(FfmModel model, FfmProblem problem, Span<float> probabilities, int threads = 1, FfmSimdPath path = FfmSimdPath.Auto)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(problem);
        if (probabilities.Length != problem.RowCount)
        {
            throw new ArgumentException($"The output has {probabilities.Length} slots for {problem.RowCount} rows; pass one slot per row.", nameof(probabilities));
        }

        if (threads < 1)
        {
            throw new ArgumentOutOfRangeException(nameof(threads), threads, "The thread count must be at least 1.");
        }

        if (problem.FieldCount > model.FieldCount)
        {
            throw new FfmModelMismatchException(
                $"The data uses field ids up to {problem.FieldCount - 1} but the model has m = {model.FieldCount} fields; score it with a model trained on the same field ids.");
        }

        var output = new float[problem.RowCount];
        var resolved = FfmSimd.Resolve(path);
        var ndsRate = (double)model.NdsRate;
        var workers = Math.Min(threads, Math.Max(1, problem.RowCount / 1024));
        if (workers == 1)
        {
            PredictRange(model, problem, 0, problem.RowCount, output, resolved, ndsRate);
        }
        else
        {
            Parallel.For(0, workers, new ParallelOptions { MaxDegreeOfParallelism = workers }, t =>
            {
                var start = (int)((long)problem.RowCount * t / workers);
                var end = (int)((long)problem.RowCount * (t + 1) / workers);
                PredictRange(model, problem, start, end, output, resolved, ndsRate);
            });
        }

        output.CopyTo(probabilities);
    }

    private static unsafe void PredictRange(FfmModel model, FfmProblem problem, int start, int end, float[] output, FfmSimdPath path, double ndsRate)
    {
        var capacity = 0;
        for (var i = start; i < end; i++)
        {
            capacity = Math.Max(capacity, FfmKernels.PairCapacity(problem.Row(i).Length));
        }

        var pairs = new PairEntry[capacity];
        for (var i = start; i < end; i++)
        {
            var scale = model.Normalization ? problem.Scales[i] : 1f;
            var count = FfmKernels.BuildPairs(model, problem.Row(i), scale, pairs);
            var score = FfmKernels.Score(model.Weights, new ReadOnlySpan<PairEntry>(pairs, 0, count), model.Chunks, path);
            output[i] = (float)NdsCalibration.Probability(score, ndsRate);
        }
    }
}
