using System.Runtime.InteropServices;
using Platform.MainJob;

// The programs started by the job are the sibling projects' build output of the same configuration.
var baseDirectory = new DirectoryInfo(AppContext.BaseDirectory);
var configuration = baseDirectory.Parent?.Name ?? "Release";
var root = baseDirectory;
while (root is not null && !File.Exists(Path.Combine(root.FullName, "Platform.sln")))
{
    root = root.Parent;
}

if (root is null)
{
    await Console.Error.WriteLineAsync($"error: Platform.sln was not found above '{AppContext.BaseDirectory}'; run the main job from a source checkout (make run).");
    return 1;
}

MainJobOptions? options;
try
{
    options = MainJobCommandLine.Parse(args, root.FullName, configuration);
}
catch (ArgumentException ex)
{
    await Console.Error.WriteLineAsync($"error: {ex.Message}\n\n{MainJobCommandLine.Usage}");
    return 2;
}

if (options is null)
{
    Console.WriteLine(MainJobCommandLine.Usage);
    return 0;
}

using var stopping = new CancellationTokenSource();
Console.CancelKeyPress += (_, e) =>
{
    e.Cancel = true;
    stopping.Cancel();
};
using var sigterm = PosixSignalRegistration.Create(PosixSignal.SIGTERM, context =>
{
    context.Cancel = true;
    stopping.Cancel();
});

try
{
    await using var platform = await new MainJobRunner(options, Console.Out).StartAsync(stopping.Token);
    if (!options.KeepRunning)
    {
        Console.WriteLine("Done; stopping the platform (--no-wait).");
        return 0;
    }

    Console.WriteLine("The platform keeps running; press Ctrl-C to stop it.");
    try
    {
        // A crashed gateway or inference worker ends the job with an error instead of leaving half a platform.
        var exited = platform.FindExited();
        while (exited is null)
        {
            await Task.Delay(TimeSpan.FromSeconds(1), stopping.Token);
            exited = platform.FindExited();
        }

        await Console.Error.WriteLineAsync($"error: the {exited.Name} exited with code {exited.ExitCode}; see the logs in {Path.Combine(options.DataDirectory, "logs")}. Stopping the platform.");
        return 1;
    }
    catch (OperationCanceledException)
    {
        Console.WriteLine("Stopping the platform...");
    }

    return 0;
}
catch (OperationCanceledException) when (stopping.IsCancellationRequested)
{
    Console.WriteLine("Stopped before the job finished.");
    return 130;
}
catch (Exception ex) when (ex is MainJobException or HttpRequestException or Platform.Tracking.Client.MlflowException or FileNotFoundException or InvalidDataException)
{
    await Console.Error.WriteLineAsync($"error: {ex.Message}");
    return 1;
}
