namespace Platform.Cli;

/// <summary>A failure to report to the user as one message, with the process exit code to return.</summary>
public sealed class CliException : Exception
{
    public CliException()
        : this("labctl failed.")
    {
    }

    public CliException(string message)
        : this(message, ExitCodes.Failure)
    {
    }

    public CliException(string message, Exception innerException)
        : base(message, innerException)
    {
        ExitCode = ExitCodes.Failure;
    }

    public CliException(string message, int exitCode)
        : base(message)
    {
        ExitCode = exitCode;
    }

    /// <summary>Exit code of the process; see <see cref="ExitCodes"/>.</summary>
    public int ExitCode { get; }
}
