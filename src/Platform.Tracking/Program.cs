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

try
{
    await using var app = TrackingServerApp.Build(options);
    await app.RunAsync();
    return 0;
}
catch (Exception ex) when (ex is Npgsql.NpgsqlException or Microsoft.Data.Sqlite.SqliteException or IOException or UnauthorizedAccessException or ArgumentException or InvalidOperationException)
{
    // A database that cannot be reached or a port in use stops the server with one line, not a stack trace.
    await Console.Error.WriteLineAsync($"error: the tracking server failed to start: {ex.Message}");
    return 1;
}
