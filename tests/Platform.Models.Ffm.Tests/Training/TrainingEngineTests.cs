using Platform.Training;

namespace Platform.Models.Ffm.Tests.Training;

/// <summary>The generic epoch loop of Platform.Training, driven by a scripted trainable.</summary>
public sealed class TrainingEngineTests
{
    [Fact]
    public async Task CallbackCanStopTraining()
    {
        var trainable = new ScriptedTrainable([0.5, 0.4, 0.3, 0.2]);
        var stopper = new StopAtEpoch(2);

        var result = await new TrainingEngine(new TrainingEngineOptions { MaxEpochs = 4 }, [stopper]).RunAsync(trainable, CancellationToken.None);

        Assert.Equal(2, result.EpochsRun);
        Assert.Equal("stop at 2", result.StopReason);
    }

    [Fact]
    public async Task EarlyStoppingRestoresBestSnapshot()
    {
        var trainable = new ScriptedTrainable([0.5, 0.3, 0.35, 0.4, 0.1]);
        var stopping = new EarlyStoppingCallback("loss", minimize: true, patience: 2);

        var result = await new TrainingEngine(new TrainingEngineOptions { MaxEpochs = 5 }, [stopping]).RunAsync(trainable, CancellationToken.None);

        Assert.Equal(4, result.EpochsRun);
        Assert.Equal(2, result.FinalEpoch);
        Assert.Equal(2, stopping.BestEpoch);
        Assert.Equal(2, trainable.RestoredEpoch);
    }

    [Fact]
    public async Task EqualValueCountsAsImprovement()
    {
        var trainable = new ScriptedTrainable([0.5, 0.5, 0.6]);
        var stopping = new EarlyStoppingCallback("loss", minimize: true, patience: 1);

        var result = await new TrainingEngine(new TrainingEngineOptions { MaxEpochs = 3 }, [stopping]).RunAsync(trainable, CancellationToken.None);

        Assert.Equal(2, result.FinalEpoch);
        Assert.Equal(3, result.EpochsRun);
    }

    [Fact]
    public async Task MissingMetricIsReported()
    {
        var trainable = new ScriptedTrainable([0.5]);
        var stopping = new EarlyStoppingCallback("validation_auc", minimize: false, patience: 1);

        var error = await Assert.ThrowsAsync<KeyNotFoundException>(
            () => new TrainingEngine(new TrainingEngineOptions { MaxEpochs = 1 }, [stopping]).RunAsync(trainable, CancellationToken.None));

        Assert.Contains("Epoch 1 reported no metric 'validation_auc'", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void InvalidOptionsAreRejected()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => new TrainingEngine(new TrainingEngineOptions { MaxEpochs = 0 }, []));
        Assert.Throws<ArgumentOutOfRangeException>(() => new EarlyStoppingCallback("loss", minimize: true, patience: 0));
    }

    private sealed class ScriptedTrainable(double[] losses) : ITrainable
    {
        private int _epoch;

        public int RestoredEpoch { get; private set; }

        public ValueTask<IReadOnlyDictionary<string, double>> RunEpochAsync(int epoch, CancellationToken cancellationToken)
        {
            _epoch = epoch;
            return ValueTask.FromResult<IReadOnlyDictionary<string, double>>(new Dictionary<string, double> { ["loss"] = losses[epoch - 1] });
        }

        public ITrainingSnapshot CaptureSnapshot(ITrainingSnapshot? reuse) => new Snapshot(_epoch);

        public void RestoreSnapshot(ITrainingSnapshot snapshot) => RestoredEpoch = snapshot.Epoch;

        public ValueTask<string> SaveCheckpointAsync(int epoch, CancellationToken cancellationToken) => ValueTask.FromResult($"checkpoint-{epoch}");

        private sealed record Snapshot(int Epoch) : ITrainingSnapshot;
    }

    private sealed class StopAtEpoch(int epoch) : ITrainingCallback
    {
        public ValueTask OnEpochEndAsync(TrainingContext context, EpochMetrics metrics, CancellationToken cancellationToken)
        {
            if (metrics.Epoch == epoch)
            {
                context.RequestStop($"stop at {epoch}");
            }

            return ValueTask.CompletedTask;
        }
    }
}
