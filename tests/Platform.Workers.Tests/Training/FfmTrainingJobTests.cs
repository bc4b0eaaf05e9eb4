using Microsoft.Extensions.Logging.Abstractions;
using Platform.Models.Ffm.Model;
using Platform.Models.Ffm.Training;
using Platform.Testing;
using Platform.Workers.Tests.Infrastructure;
using Platform.Workers.Training.Ffm;

namespace Platform.Workers.Tests.Training;

/// <summary>Runs the training job against a real tracking server, with its model registry and artifact proxy, on 127.0.0.1.</summary>
public sealed class FfmTrainingJobTests(TrackingServerFixture server) : IClassFixture<TrackingServerFixture>
{
    [Fact]
    public async Task JobLogsMetricsModelAndVersion()
    {
        var client = server.Client;
        var arguments = new TrainFfmArguments
        {
            TrainPath = RepositoryPaths.Sample("small_train.txt"),
            ValidationPath = RepositoryPaths.Sample("small_test.txt"),
            Training = new FfmTrainingOptions { Epochs = 3 },
            Experiment = "ffm-tests",
            RegisteredModelName = "ctr-ffm",
            OutputDirectory = Path.Combine(server.Folder, "output"),
        };
        using var terminal = new StringWriter();

        var summary = await new FfmTrainingJob(client, NullLogger<FfmTrainingJob>.Instance, terminal, interactive: false)
            .RunAsync(arguments, CancellationToken.None);

        Assert.Equal(3, summary.EpochsRun);
        Assert.Equal("1", summary.RegisteredModelVersion);

        var history = await client.Runs.GetMetricHistoryAsync(summary.RunId, FfmMetricNames.ValidationLogloss);
        Assert.Equal([1L, 2L, 3L], history.Select(point => point.Step).Order());
        Assert.Equal(summary.FinalMetrics[FfmMetricNames.ValidationLogloss], history.Single(point => point.Step == 3).Value, 6);

        var run = await client.Runs.GetAsync(summary.RunId);
        Assert.Contains(run.Data!.Params!, parameter => parameter.Key == "k" && parameter.Value == "4");

        var downloaded = await client.Models.DownloadAsync("models:/ctr-ffm/1");
        using var model = await FfmModelFile.LoadAsync(Path.Combine(downloaded.LocalPath, FfmTrainingJob.ModelFileName), CancellationToken.None);
        Assert.Equal(18, model.FieldCount);
    }

    [Fact]
    public async Task BadDataFailsTheRunWithLineNumber()
    {
        var bad = Path.Combine(server.Folder, "bad.txt");
        await File.WriteAllTextAsync(bad, "1 0:1:1\n0 0:x:1\n");
        var arguments = new TrainFfmArguments { TrainPath = bad, Training = new FfmTrainingOptions { Epochs = 1 } };

        var error = await Assert.ThrowsAsync<Platform.Models.Ffm.Data.FfmFormatException>(
            () => new FfmTrainingJob(server.Client, NullLogger<FfmTrainingJob>.Instance, TextWriter.Null, interactive: false).RunAsync(arguments, CancellationToken.None));

        Assert.Equal(2, error.LineNumber);
    }
}
