using Platform.Workers.Training.Ffm;

namespace Platform.Workers.Tests.Training;

public sealed class TrainFfmCommandLineTests
{
    [Fact]
    public void LibffmFlagsSetTrainingOptions()
    {
        var arguments = TrainFfmCommandLine.Parse(
        [
            "train", "ffm", "--train", "tr.txt", "-p", "va.txt", "-l", "0.0001", "-k", "8", "-t", "50", "-r", "0.1", "-s", "2",
            "--auto-stop", "--patience", "3", "--no-norm", "--weights", "w.txt", "--nds-rate", "0.25", "--experiment", "ctr",
            "--register-model", "ctr-ffm",
        ]);

        Assert.Equal("tr.txt", arguments.TrainPath);
        Assert.Equal("va.txt", arguments.ValidationPath);
        Assert.Equal("w.txt", arguments.WeightsPath);
        Assert.Equal(0.0001f, arguments.Training.Lambda);
        Assert.Equal(8, arguments.Training.LatentDimension);
        Assert.Equal(50, arguments.Training.Epochs);
        Assert.Equal(0.1f, arguments.Training.LearningRate);
        Assert.Equal(2, arguments.Training.Threads);
        Assert.True(arguments.Training.AutoStop);
        Assert.Equal(3, arguments.Training.AutoStopPatience);
        Assert.False(arguments.Training.Normalization);
        Assert.Equal(0.25f, arguments.Training.NdsRate);
        Assert.Equal("ctr", arguments.Experiment);
        Assert.Equal("ctr-ffm", arguments.RegisteredModelName);
    }

    [Fact]
    public void DefaultsAreLibffms()
    {
        var arguments = TrainFfmCommandLine.Parse(["train", "ffm", "--train", "tr.txt"]);

        Assert.Equal(0.00002f, arguments.Training.Lambda);
        Assert.Equal(4, arguments.Training.LatentDimension);
        Assert.Equal(15, arguments.Training.Epochs);
        Assert.Equal(0.2f, arguments.Training.LearningRate);
        Assert.True(arguments.Training.Normalization);
        Assert.Equal("ffm", arguments.Experiment);
    }

    [Theory]
    [InlineData(new[] { "train", "gbdt" }, "Expected the command 'train ffm'")]
    [InlineData(new[] { "train", "ffm" }, "Missing --train")]
    [InlineData(new[] { "train", "ffm", "--train", "tr.txt", "--auto-stop" }, "--auto-stop needs a validation set")]
    [InlineData(new[] { "train", "ffm", "--train", "tr.txt", "-k", "four" }, "Option -k needs an integer, got 'four'")]
    [InlineData(new[] { "train", "ffm", "--train", "tr.txt", "-k", "0" }, "k must be at least 1")]
    [InlineData(new[] { "train", "ffm", "--train", "tr.txt", "--bogus", "1" }, "Unknown option '--bogus'")]
    [InlineData(new[] { "train", "ffm", "--train" }, "Option --train needs a value")]
    public void InvalidArgumentsAreRejected(string[] args, string message)
    {
        var error = Assert.ThrowsAny<ArgumentException>(() => TrainFfmCommandLine.Parse(args));

        Assert.Contains(message, error.Message, StringComparison.Ordinal);
    }
}
