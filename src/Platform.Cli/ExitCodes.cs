namespace Platform.Cli;

/// <summary>Process exit codes of <c>labctl</c>.</summary>
public static class ExitCodes
{
    public const int Success = 0;

    /// <summary>The operation failed (server error, login denied or expired, unexpected response).</summary>
    public const int Failure = 1;

    /// <summary>Invalid command line or argument value.</summary>
    public const int InvalidArguments = 2;

    /// <summary>Missing, invalid or insufficient credentials.</summary>
    public const int NotAuthorized = 3;

    /// <summary>The tenant or token does not exist, or already exists on create.</summary>
    public const int NotFound = 4;

    /// <summary>The gateway or identity provider could not be reached.</summary>
    public const int Unreachable = 5;
}
