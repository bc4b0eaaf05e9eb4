using System.Diagnostics;
using Platform.Testing;
using Platform.Tracking.Client;
using Platform.Workers.Tests.Infrastructure;

namespace Platform.Workers.Tests.Training;

/// <summary>Stops the training worker process with a signal mid-training and checks the run it leaves behind.</summary>
public sealed class TrainingSignalTests(TrackingServerFixture server) : IClassFixture<TrackingServerFixture>
{
    [Theory]
    [InlineData("TERM", 143)]
    [InlineData("INT", 130)]
    public async Task Signal_EndsRunKilled(string signal, int expectedExitCode)
    {
        var experiment = $"signal-{signal}-{Guid.NewGuid():N}";
        using var worker = StartWorker(experiment);
        var secondEpoch = new TaskCompletionSource();
        worker.OutputDataReceived += (_, e) =>
        {
            if (e.Data?.Contains("Epoch 2/", StringComparison.Ordinal) == true)
            {
                secondEpoch.TrySetResult();
            }
        };
        worker.BeginOutputReadLine();
        var stderr = worker.StandardError.ReadToEndAsync();

        try
        {
            await secondEpoch.Task.WaitAsync(TimeSpan.FromSeconds(60));
            await SendSignalAsync(worker.Id, signal);
            using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(20));
            await worker.WaitForExitAsync(timeout.Token);
        }
        finally
        {
            if (!worker.HasExited)
            {
                worker.Kill();
            }
        }

        Assert.Equal(expectedExitCode, worker.ExitCode);
        Assert.Contains("Training stopped by", await stderr, StringComparison.Ordinal);
        var experimentId = await server.Client.Experiments.GetOrCreateAsync(experiment);
        var run = Assert.Single((await server.Client.Runs.SearchAsync([experimentId])).Runs);
        Assert.Equal(RunStatus.Killed, run.Info.Status);
        Assert.NotNull(run.Info.EndTime);
    }

    private Process StartWorker(string experiment)
    {
        var start = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true };
        string[] args =
        [
            Path.Combine(AppContext.BaseDirectory, "Platform.Workers.Training.dll"),
            "train", "ffm",
            "--train", RepositoryPaths.Sample("small_train.txt"),
            "--validation", RepositoryPaths.Sample("small_test.txt"),
            "-t", "100000",
            "--experiment", experiment,
            "--output", Path.Combine(server.Folder, experiment),
        ];
        foreach (var arg in args)
        {
            start.ArgumentList.Add(arg);
        }

        start.Environment["MLFLOW_TRACKING_URI"] = server.BaseAddress.ToString();
        start.Environment["Logging__Console__FormatterName"] = "simple";
        start.Environment["Logging__Console__FormatterOptions__SingleLine"] = "true";
        return Process.Start(start)!;
    }

    private static async Task SendSignalAsync(int pid, string signal)
    {
        using var kill = Process.Start("kill", ["-s", signal, pid.ToString(System.Globalization.CultureInfo.InvariantCulture)]);
        await kill.WaitForExitAsync();
        Assert.Equal(0, kill.ExitCode);
    }
}
