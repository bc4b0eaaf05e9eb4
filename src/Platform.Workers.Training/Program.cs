using System.Runtime.InteropServices;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Platform.Models.Ffm.Data;
using Platform.Tracking.Client;
using Platform.Workers.Training.Ffm;

TrainFfmArguments arguments;
try
{
    arguments = TrainFfmCommandLine.Parse(args);
}
catch (ArgumentException error)
{
    await Console.Error.WriteLineAsync($"error: {error.Message}\n\n{TrainFfmCommandLine.Usage}");
    return 2;
}

var builder = Host.CreateApplicationBuilder();

// One line per HTTP call would bury the training progress; failures still surface as exceptions.
builder.Logging.AddFilter("System.Net.Http.HttpClient", LogLevel.Warning);
builder.Services.AddTrackingClient(builder.Configuration);
builder.Services.AddSingleton(provider => new FfmTrainingJob(
    provider.GetRequiredService<TrackingClient>(),
    provider.GetRequiredService<ILogger<FfmTrainingJob>>(),
    Console.Out,
    interactive: !Console.IsOutputRedirected));
using var host = builder.Build();

// SIGINT (Ctrl-C) and SIGTERM (the main job stopping its children) cancel training, and the job then ends its
// MLflow run KILLED. Without the SIGTERM handler the runtime would exit at once and leave the run RUNNING.
using var cancellation = new CancellationTokenSource();
PosixSignal? stopSignal = null;
void Stop(PosixSignalContext context)
{
    context.Cancel = true;
    stopSignal ??= context.Signal;
    cancellation.Cancel();
}

using var sigint = PosixSignalRegistration.Create(PosixSignal.SIGINT, Stop);
using var sigterm = PosixSignalRegistration.Create(PosixSignal.SIGTERM, Stop);

try
{
    var summary = await host.Services.GetRequiredService<FfmTrainingJob>().RunAsync(arguments, cancellation.Token);
    Console.WriteLine($"run {summary.RunId}: {summary.EpochsRun} epochs, model of epoch {summary.FinalEpoch}");
    return 0;
}
catch (OperationCanceledException) when (cancellation.IsCancellationRequested)
{
    await Console.Error.WriteLineAsync($"Training stopped by {stopSignal} before it finished.");

    // 128 + the signal number, as shells report a process that a signal ended.
    return stopSignal == PosixSignal.SIGTERM ? 143 : 130;
}
catch (Exception error) when (error is FfmFormatException or FileNotFoundException or ArgumentException or MlflowException)
{
    await Console.Error.WriteLineAsync($"error: {error.Message}");
    return 1;
}
catch (HttpRequestException error)
{
    var uri = host.Services.GetRequiredService<TrackingClient>().TrackingUri;
    await Console.Error.WriteLineAsync($"error: the tracking server at {uri} could not be reached ({error.Message}); check MLFLOW_TRACKING_URI.");
    return 1;
}
