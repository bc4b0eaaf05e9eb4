using Platform.Tracking.Hosting;

var options = CommandLine.Parse(args, Environment.GetEnvironmentVariable, out var error);
if (options is null)
{
    if (error is null)
    {
        Console.WriteLine(CommandLine.Usage);
        return 0;
    }

    await Console.Error.WriteLineAsync($"error: {error}\n\n{CommandLine.Usage}");
    return 2;
}

// Like `mlflow server`, serve artifacts from a local folder when no destination is given.
options.ArtifactsDestination ??= Path.GetFullPath(Path.Combine("mlruns-data", "artifacts"));

await using var app = TrackingServerApp.Build(options);
await app.RunAsync();
return 0;
