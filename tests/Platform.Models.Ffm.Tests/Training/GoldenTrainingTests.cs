using Platform.Models.Ffm.Data;
using Platform.Models.Ffm.Training;
using Platform.Testing;

namespace Platform.Models.Ffm.Tests.Training;

/// <summary>
/// Compares training runs with libffm 1.21 (ycjuan/libffm af3ae37, SSE build, one thread) on the
/// sample data. libffm's figures: small Criteo sample with defaults, validation logloss 0.54265 at
/// epoch 15; Frappe with k = 8 and auto-stop, best validation logloss 0.2700.
/// </summary>
public sealed class GoldenTrainingTests
{
    [Fact]
    public async Task SmallCriteoDefaultsMatchLibffm()
    {
        var train = await FfmTextParser.ParseFileAsync(RepositoryPaths.Sample("small_train.txt"), null, CancellationToken.None);
        var validation = await FfmTextParser.ParseFileAsync(RepositoryPaths.Sample("small_test.txt"), null, CancellationToken.None);

        var result = await new FfmTrainer(new FfmTrainingOptions()).TrainAsync(new FfmTrainingData(train, validation), null, CancellationToken.None);

        using var model = result.Model;

        // libffm prints 5 decimals; the same initial weights and row order reproduce them to that precision.
        var history = result.Run.History;
        Assert.Equal(15, history.Count);
        Assert.Equal(0.88889, history[0].Get(FfmMetricNames.ValidationLogloss), 0.00001);
        Assert.Equal(0.58012, history[4].Get(FfmMetricNames.ValidationLogloss), 0.00001);
        Assert.Equal(0.55240, history[9].Get(FfmMetricNames.ValidationLogloss), 0.00001);
        Assert.Equal(0.54265, history[14].Get(FfmMetricNames.ValidationLogloss), 0.0005);
        Assert.Equal(0.47600, history[14].Get(FfmMetricNames.TrainLogloss), 0.0005);
    }

    [Fact]
    public async Task FrappeAutoStopMatchesLibffm()
    {
        var train = await FfmTextParser.ParseFileAsync(RepositoryPaths.Sample("frappe.validation.ffm"), null, CancellationToken.None);
        var validation = await FfmTextParser.ParseFileAsync(RepositoryPaths.Sample("frappe.test.ffm"), null, CancellationToken.None);
        var options = new FfmTrainingOptions { LatentDimension = 8, Epochs = 50, AutoStop = true };

        var result = await new FfmTrainer(options).TrainAsync(new FfmTrainingData(train, validation), null, CancellationToken.None);
        using var model = result.Model;

        var best = result.Run.History[result.Run.FinalEpoch - 1].Get(FfmMetricNames.ValidationLogloss);
        Assert.InRange(result.Run.FinalEpoch, 7, 9);
        Assert.Equal(result.Run.FinalEpoch + 1, result.Run.EpochsRun);
        Assert.True(best <= 0.2705, $"best validation logloss {best:F5}, libffm reaches 0.2700");
    }
}
