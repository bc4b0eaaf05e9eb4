using System.Runtime.CompilerServices;
using Platform.Models.Ffm.Data;
using Platform.Models.Ffm.Kernels;
using Platform.Models.Ffm.Metrics;
using Platform.Models.Ffm.Model;
using Platform.Training;

namespace Platform.Models.Ffm.Training;

/// <summary>
/// One FFM training run as an <see cref="ITrainable"/>: each epoch is libffm's SGD pass over the
/// shuffled training rows, followed by a validation pass.
/// </summary>
[SkipLocalsInit]
internal sealed class FfmTrainable : ITrainable
{
    private readonly FfmTrainingData _data;
    private readonly FfmTrainingOptions _options;
    private readonly LibffmEpochOrder _order;
    private readonly int _pairCapacity;

    public FfmTrainable(FfmTrainingData data, FfmTrainingOptions options)
    {
        _data = data;
        _options = options;
        _order = new LibffmEpochOrder(options.Seed);
        Model = FfmModel.CreateInitialized(
            data.Train.FeatureCount, data.Train.FieldCount, options.LatentDimension, options.Normalization, options.Seed);
        Model.Loss = data.TrainWeights is null ? FfmLoss.Logistic : FfmLoss.WeightedLogistic;
        Model.NdsRate = options.NdsRate;
        _pairCapacity = Math.Max(PairCapacity(data.Train), data.Validation is null ? 0 : PairCapacity(data.Validation));
    }

    public FfmModel Model { get; }

    public ValueTask<IReadOnlyDictionary<string, double>> RunEpochAsync(int epoch, CancellationToken cancellationToken) =>
        new(Task.Run<IReadOnlyDictionary<string, double>>(() => RunEpoch(cancellationToken), cancellationToken));

    public ITrainingSnapshot CaptureSnapshot(ITrainingSnapshot? reuse)
    {
        var snapshot = reuse as FfmSnapshot ?? new FfmSnapshot(0, GC.AllocateUninitializedArray<float>(Model.ParameterCount));
        Model.Parameters.CopyTo(snapshot.Parameters);
        snapshot.Epoch = CurrentEpoch;
        return snapshot;
    }

    public void RestoreSnapshot(ITrainingSnapshot snapshot)
    {
        var ffmSnapshot = snapshot as FfmSnapshot
            ?? throw new ArgumentException($"Expected a snapshot created by this FFM run, got {snapshot.GetType().Name}.", nameof(snapshot));
        ffmSnapshot.Parameters.CopyTo(Model.Parameters);
    }

    public async ValueTask<string> SaveCheckpointAsync(int epoch, CancellationToken cancellationToken)
    {
        var directory = _options.CheckpointDirectory
            ?? throw new InvalidOperationException("No checkpoint directory is configured; set FfmTrainingOptions.CheckpointDirectory.");
        Directory.CreateDirectory(directory);
        var path = Path.Combine(directory, $"epoch-{epoch:D4}.ffm");
        await FfmModelFile.SaveAsync(Model, path, cancellationToken).ConfigureAwait(false);
        return path;
    }

    private int CurrentEpoch { get; set; }

    private Dictionary<string, double> RunEpoch(CancellationToken cancellationToken)
    {
        CurrentEpoch++;
        var metrics = new Dictionary<string, double>(StringComparer.Ordinal)
        {
            [FfmMetricNames.TrainLogloss] = TrainPass(cancellationToken),
        };

        if (_data.Validation is { } validation)
        {
            var (logloss, auc) = ValidationPass(validation, cancellationToken);
            metrics[FfmMetricNames.ValidationLogloss] = logloss;
            metrics[FfmMetricNames.ValidationAuc] = auc;
        }

        return metrics;
    }

    private double TrainPass(CancellationToken cancellationToken)
    {
        var train = _data.Train;
        var order = NextOrder(train);
        var threads = Math.Min(_options.Threads, Math.Max(1, order.Length));
        var losses = new double[threads];
        if (threads == 1)
        {
            losses[0] = TrainRange(order, cancellationToken);
        }
        else
        {
            // Static contiguous ranges, as OpenMP's schedule(static) in libffm; threads share the weights without locks.
            Parallel.For(0, threads, new ParallelOptions { MaxDegreeOfParallelism = threads, CancellationToken = cancellationToken }, t =>
            {
                var start = (int)((long)order.Length * t / threads);
                var end = (int)((long)order.Length * (t + 1) / threads);
                losses[t] = TrainRange(order.AsSpan(start, end - start), cancellationToken);
            });
        }

        var total = 0.0;
        foreach (var loss in losses)
        {
            total += loss;
        }

        return total / WeightTotal(_data.TrainWeights, train.RowCount);
    }

    // Full optimisation from the first call: this loop runs once per epoch, so tiered compilation
    // would otherwise leave it in on-stack-replacement code, which keeps more locals in memory.
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private unsafe double TrainRange(ReadOnlySpan<int> rows, CancellationToken cancellationToken)
    {
        var train = _data.Train;
        var weights = _data.TrainWeights;
        var model = Model;
        var parameters = model.Weights;
        var chunks = model.Chunks;
        var path = FfmSimd.Resolve(_options.SimdPath);
        var eta = _options.LearningRate;
        var lambda = _options.Lambda;
        var normalization = _options.Normalization;
        var pairs = new PairEntry[_pairCapacity];
        double loss = 0;

        for (var ii = 0; ii < rows.Length; ii++)
        {
            if ((ii & 0xFFFF) == 0)
            {
                cancellationToken.ThrowIfCancellationRequested();
            }

            var i = rows[ii];
            var y = train.Labels[i];
            var scale = normalization ? train.Scales[i] : 1f;
            var count = FfmKernels.BuildPairs(model, train.Row(i), scale, pairs);
            var rowPairs = new ReadOnlySpan<PairEntry>(pairs, 0, count);

            // libffm: t is a float score, the loss and κ = −y·e^(−y·t) / (1 + e^(−y·t)) are computed in double.
            double t = FfmKernels.Score(parameters, rowPairs, chunks, path);
            var expNegativeMargin = Math.Exp(-y * t);
            var importance = weights is null ? 1.0 : weights[i];
            loss += importance * Math.Log(1 + expNegativeMargin);

            var kappa = double.IsPositiveInfinity(expNegativeMargin) ? -y : -y * expNegativeMargin / (1 + expNegativeMargin);
            FfmKernels.Update(parameters, rowPairs, chunks, (float)(importance * kappa), eta, lambda, path);
        }

        return loss;
    }

    private (double Logloss, double Auc) ValidationPass(FfmProblem validation, CancellationToken cancellationToken)
    {
        // The order only decides the summation order of the loss, but drawing it keeps the random
        // stream, and so every later training order, identical to libffm's.
        var order = NextOrder(validation);
        var scores = new double[validation.RowCount];
        var threads = Math.Min(_options.Threads, Math.Max(1, validation.RowCount));
        Parallel.For(0, threads, new ParallelOptions { MaxDegreeOfParallelism = threads, CancellationToken = cancellationToken }, t =>
        {
            var start = (int)((long)validation.RowCount * t / threads);
            var end = (int)((long)validation.RowCount * (t + 1) / threads);
            ScoreRange(validation, start, end, scores);
        });

        var weights = _data.ValidationWeights;
        var ndsRate = (double)_options.NdsRate;
        double loss = 0;
        foreach (var i in order)
        {
            var importance = weights is null ? 1.0 : weights[i];
            loss += importance * NdsCalibration.LogisticLoss(scores[i], validation.Labels[i], ndsRate);
        }

        var positives = new bool[validation.RowCount];
        for (var i = 0; i < positives.Length; i++)
        {
            positives[i] = validation.IsPositive(i);
        }

        return (loss / WeightTotal(weights, validation.RowCount), BinaryMetrics.Auc(scores, positives));
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private unsafe void ScoreRange(FfmProblem problem, int start, int end, double[] scores)
    {
        var model = Model;
        var path = FfmSimd.Resolve(_options.SimdPath);
        var pairs = new PairEntry[_pairCapacity];
        for (var i = start; i < end; i++)
        {
            var scale = _options.Normalization ? problem.Scales[i] : 1f;
            var count = FfmKernels.BuildPairs(model, problem.Row(i), scale, pairs);
            scores[i] = FfmKernels.Score(model.Weights, new ReadOnlySpan<PairEntry>(pairs, 0, count), model.Chunks, path);
        }
    }

    private int[] NextOrder(FfmProblem problem)
    {
        if (_options.Shuffle)
        {
            return _order.Next(problem);
        }

        var order = new int[problem.RowCount];
        for (var i = 0; i < order.Length; i++)
        {
            order[i] = i;
        }

        return order;
    }

    private static double WeightTotal(float[]? weights, int rows)
    {
        if (weights is null)
        {
            return rows;
        }

        double total = 0;
        foreach (var weight in weights)
        {
            total += weight;
        }

        return total > 0 ? total : 1;
    }

    private static int PairCapacity(FfmProblem problem)
    {
        long longest = 0;
        for (var i = 0; i < problem.RowCount; i++)
        {
            longest = Math.Max(longest, problem.RowOffsets[i + 1] - problem.RowOffsets[i]);
        }

        return FfmKernels.PairCapacity((int)Math.Min(longest, int.MaxValue));
    }
}
