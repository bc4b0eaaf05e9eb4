namespace Platform.Cli.Commands;

/// <summary>Runs a command body and turns a <see cref="CliException"/> into its message on stderr and its exit code.</summary>
internal static class CliRunner
{
    public static async Task<int> RunAsync(CliEnvironment environment, Func<Task> body)
    {
        try
        {
            await body();
            return ExitCodes.Success;
        }
        catch (CliException ex)
        {
            await environment.Error.WriteLineAsync("error: " + ex.Message);
            return ex.ExitCode;
        }
    }
}
