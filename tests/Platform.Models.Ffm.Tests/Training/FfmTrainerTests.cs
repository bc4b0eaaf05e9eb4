using Platform.Models.Ffm.Data;
using Platform.Models.Ffm.Model;
using Platform.Models.Ffm.Training;
using Platform.Testing;
using Platform.Training;

namespace Platform.Models.Ffm.Tests.Training;

public sealed class FfmTrainerTests
{
    [Fact]
    public async Task OneThreadRunsAreDeterministic()
    {
        var (train, validation) = await SmallSampleAsync();
        var options = new FfmTrainingOptions { Epochs = 3 };

        using var first = (await new FfmTrainer(options).TrainAsync(new FfmTrainingData(train, validation), null, CancellationToken.None)).Model;
        using var second = (await new FfmTrainer(options).TrainAsync(new FfmTrainingData(train, validation), null, CancellationToken.None)).Model;

        Assert.Equal(first.Parameters.ToArray(), second.Parameters.ToArray());
    }

    [Fact]
    public async Task OtherSeedGivesOtherModel()
    {
        var (train, _) = await SmallSampleAsync();

        using var first = (await new FfmTrainer(new FfmTrainingOptions { Epochs = 1 }).TrainAsync(new FfmTrainingData(train), null, CancellationToken.None)).Model;
        using var second = (await new FfmTrainer(new FfmTrainingOptions { Epochs = 1, Seed = 2 }).TrainAsync(new FfmTrainingData(train), null, CancellationToken.None)).Model;

        Assert.NotEqual(first.Parameters.ToArray(), second.Parameters.ToArray());
    }

    [Fact]
    public async Task TwoThreadsReachSimilarLoss()
    {
        var (train, validation) = await SmallSampleAsync();

        var result = await new FfmTrainer(new FfmTrainingOptions { Threads = 2 }).TrainAsync(new FfmTrainingData(train, validation), null, CancellationToken.None);
        using var model = result.Model;

        // libffm with -s 2 gave 0.54294 against 0.54265 with one thread.
        Assert.Equal(0.5427, result.Run.History[^1].Get(FfmMetricNames.ValidationLogloss), 0.01);
    }

    [Fact]
    public async Task NoNormOverfitsAsLibffm()
    {
        var (train, validation) = await SmallSampleAsync();

        var result = await new FfmTrainer(new FfmTrainingOptions { Normalization = false }).TrainAsync(new FfmTrainingData(train, validation), null, CancellationToken.None);
        using var model = result.Model;

        // libffm --no-norm: validation 0.60029, training 0.28567 at epoch 15.
        Assert.False(model.Normalization);
        Assert.Equal(0.60029, result.Run.History[^1].Get(FfmMetricNames.ValidationLogloss), 0.0005);
        Assert.Equal(0.28567, result.Run.History[^1].Get(FfmMetricNames.TrainLogloss), 0.0005);
    }

    [Fact]
    public async Task AutoStopKeepsBestEpochWeights()
    {
        var (train, validation) = await SmallSampleAsync();
        var options = new FfmTrainingOptions { LatentDimension = 8, Epochs = 50, AutoStop = true, AutoStopPatience = 3 };

        var result = await new FfmTrainer(options).TrainAsync(new FfmTrainingData(train, validation), null, CancellationToken.None);
        using var model = result.Model;

        var history = result.Run.History;
        var best = history.MinBy(epoch => epoch.Get(FfmMetricNames.ValidationLogloss))!;
        Assert.Equal(best.Epoch, result.Run.FinalEpoch);
        Assert.Equal(best.Epoch + 3, result.Run.EpochsRun);
        Assert.NotNull(result.Run.StopReason);

        // The returned model scores the validation set exactly as the best epoch did.
        double loss = 0;
        for (var i = 0; i < validation.RowCount; i++)
        {
            loss += Math.Log(1 + Math.Exp(-validation.Labels[i] * (double)model.PredictScore(validation.Row(i))));
        }

        Assert.Equal(best.Get(FfmMetricNames.ValidationLogloss), loss / validation.RowCount, 5);
    }

    [Fact]
    public async Task ImportanceWeightScalesTheGradient()
    {
        // One row with two non-zeros and λ = 0: the AdaGrad step is Δw = −η·g/√(1 + g²) with g = c·κ·v·w', where c is the row's weight.
        var problem = FfmTextParser.Parse("1 0:0:1 1:1:1\n", "one-row");
        var options = new FfmTrainingOptions { Epochs = 1, Lambda = 0, Normalization = false, Shuffle = false };
        using var initial = FfmModel.CreateInitialized(2, 2, 4, normalization: false);
        var w1 = initial.GetLatentVector(0, 1);
        var w2 = initial.GetLatentVector(1, 0);
        var t = w1.Zip(w2, (a, b) => (double)a * b).Sum();
        var kappa = -Math.Exp(-t) / (1 + Math.Exp(-t));

        foreach (var weight in new[] { 1f, 2.5f, 0f })
        {
            var result = await new FfmTrainer(options).TrainAsync(new FfmTrainingData(problem, TrainWeights: [weight]), null, CancellationToken.None);
            using var model = result.Model;

            var updated = model.GetLatentVector(0, 1);
            for (var d = 0; d < 4; d++)
            {
                var g = weight * kappa * w2[d];
                Assert.Equal(w1[d] - (0.2 * g / Math.Sqrt(1 + (g * g))), updated[d], 1e-6);
            }

            Assert.Equal(FfmLoss.WeightedLogistic, model.Loss);
        }
    }

    [Fact]
    public async Task WeightedValidationLossIsWeightedMean()
    {
        var (train, validation) = await SmallSampleAsync();
        var weights = Enumerable.Range(0, validation.RowCount).Select(i => i < 100 ? 1f : 0f).ToArray();
        var firstHalf = FfmTextParser.Parse(string.Join('\n', File.ReadLines(RepositoryPaths.Sample("small_test.txt")).Take(100)), "first-half");
        var options = new FfmTrainingOptions { Epochs = 2, Shuffle = false };

        var weighted = await new FfmTrainer(options).TrainAsync(new FfmTrainingData(train, validation, ValidationWeights: weights), null, CancellationToken.None);
        var half = await new FfmTrainer(options).TrainAsync(new FfmTrainingData(train, firstHalf), null, CancellationToken.None);
        weighted.Model.Dispose();
        half.Model.Dispose();

        Assert.Equal(
            half.Run.History[^1].Get(FfmMetricNames.ValidationLogloss),
            weighted.Run.History[^1].Get(FfmMetricNames.ValidationLogloss),
            10);
    }

    [Fact]
    public async Task NdsRateCalibratesValidationLoss()
    {
        var (train, validation) = await SmallSampleAsync();
        var options = new FfmTrainingOptions { Epochs = 2, NdsRate = 0.5f };

        var result = await new FfmTrainer(options).TrainAsync(new FfmTrainingData(train, validation), null, CancellationToken.None);
        using var model = result.Model;

        double loss = 0;
        for (var i = 0; i < validation.RowCount; i++)
        {
            var p = model.Predict(validation.Row(i));
            loss -= validation.IsPositive(i) ? Math.Log(p) : Math.Log(1 - p);
        }

        Assert.Equal(0.5f, model.NdsRate);
        Assert.Equal(loss / validation.RowCount, result.Run.History[^1].Get(FfmMetricNames.ValidationLogloss), 5);
    }

    [Fact]
    public async Task CheckpointsAreWrittenAndReported()
    {
        var (train, validation) = await SmallSampleAsync();
        var folder = Directory.CreateTempSubdirectory("ffm-checkpoints-").FullName;
        try
        {
            var recorder = new RecordingCallback();
            var options = new FfmTrainingOptions { Epochs = 5, CheckpointInterval = 2, CheckpointDirectory = folder };

            var result = await new FfmTrainer(options).TrainAsync(new FfmTrainingData(train, validation), [recorder], CancellationToken.None);
            using var model = result.Model;

            Assert.Equal([2, 4], recorder.Checkpoints.Select(checkpoint => checkpoint.Epoch));
            Assert.All(recorder.Checkpoints, checkpoint => Assert.True(File.Exists(checkpoint.Path)));
            Assert.Equal([1, 2, 3, 4, 5], recorder.Epochs);
            using var restored = await FfmModelFile.LoadAsync(recorder.Checkpoints[1].Path, CancellationToken.None);
            Assert.Equal(model.FeatureCount, restored.FeatureCount);
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }

    [Fact]
    public async Task AutoStopWithoutValidationIsRejected()
    {
        var (train, _) = await SmallSampleAsync();

        var error = await Assert.ThrowsAsync<ArgumentException>(
            () => new FfmTrainer(new FfmTrainingOptions { AutoStop = true }).TrainAsync(new FfmTrainingData(train), null, CancellationToken.None));

        Assert.Contains("Auto-stop needs a validation set", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task WeightsRowCountMismatchIsRejected()
    {
        var (train, _) = await SmallSampleAsync();

        var error = await Assert.ThrowsAsync<ArgumentException>(
            () => new FfmTrainer(new FfmTrainingOptions()).TrainAsync(new FfmTrainingData(train, TrainWeights: new float[199]), null, CancellationToken.None));

        Assert.Contains("199 training weights for 200 training rows", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ValidationWithMoreFieldsIsRejected()
    {
        var train = FfmTextParser.Parse("1 0:1:1 1:2:1\n0 0:3:1 1:1:1\n", "train");
        var validation = FfmTextParser.Parse("1 0:1:1 5:2:1\n", "validation");

        var error = await Assert.ThrowsAsync<FfmModelMismatchException>(
            () => new FfmTrainer(new FfmTrainingOptions()).TrainAsync(new FfmTrainingData(train, validation), null, CancellationToken.None));

        Assert.Contains("only has m = 2 fields", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(0, "LatentDimension")]
    [InlineData(-1, "LatentDimension")]
    public async Task InvalidLatentDimensionIsRejected(int k, string name)
    {
        var (train, _) = await SmallSampleAsync();

        var error = await Assert.ThrowsAsync<ArgumentOutOfRangeException>(
            () => new FfmTrainer(new FfmTrainingOptions { LatentDimension = k }).TrainAsync(new FfmTrainingData(train), null, CancellationToken.None));

        Assert.Equal(name, error.ParamName);
        Assert.Contains("k must be at least 1", error.Message, StringComparison.Ordinal);
    }

    private static async Task<(FfmProblem Train, FfmProblem Validation)> SmallSampleAsync()
    {
        var train = await FfmTextParser.ParseFileAsync(RepositoryPaths.Sample("small_train.txt"), null, CancellationToken.None);
        var validation = await FfmTextParser.ParseFileAsync(RepositoryPaths.Sample("small_test.txt"), null, CancellationToken.None);
        return (train, validation);
    }

    private sealed class RecordingCallback : ITrainingCallback
    {
        public List<int> Epochs { get; } = [];

        public List<TrainingCheckpoint> Checkpoints { get; } = [];

        public ValueTask OnEpochEndAsync(TrainingContext context, EpochMetrics metrics, CancellationToken cancellationToken)
        {
            Epochs.Add(metrics.Epoch);
            return ValueTask.CompletedTask;
        }

        public ValueTask OnCheckpointAsync(TrainingContext context, TrainingCheckpoint checkpoint, CancellationToken cancellationToken)
        {
            Checkpoints.Add(checkpoint);
            return ValueTask.CompletedTask;
        }
    }
}
