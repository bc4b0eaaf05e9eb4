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

// Artifact proxy hook: Platform.Artifacts maps /api/2.0/mlflow-artifacts/ for options.ArtifactsDestination here.
// TODO: pass the artifact proxy's registration once Platform.Artifacts exposes it. Until then artifacts are not served.
var hooks = new TrackingServerHooks();

await using var app = TrackingServerApp.Build(options, hooks);
await app.RunAsync();
return 0;
