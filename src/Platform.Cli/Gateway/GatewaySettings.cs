namespace Platform.Cli.Gateway;

/// <summary>Where the gateway is and how <c>labctl</c> finds the admin token.</summary>
public sealed record GatewaySettings(Uri GatewayUrl, string? AdminToken, string DataDirectory)
{
    /// <summary>Default gateway address of the one-machine platform.</summary>
    public const string DefaultGatewayUrl = "http://127.0.0.1:8080";

    /// <summary>Data folder that <c>make run</c> uses by default, relative to the repository root.</summary>
    public const string MakeRunDataDirectory = ".labplatform";

    /// <summary>Name of the file in the data folder where the local gateway writes its admin token.</summary>
    public const string AdminTokenFileName = "admin-token";

    /// <summary>Next step for a user when the gateway cannot be reached, shared by every command that calls it.</summary>
    public const string StartHint =
        "Start the platform with 'make run' in the repository (ARGS=\"--port N\" picks another port), or pass --gateway with the URL of a running gateway.";

    /// <summary>
    /// Returns the data folder labctl reads the admin token from when neither <c>--data-dir</c> nor
    /// <c>LABPLATFORM_DATA_DIR</c> is set. That is <c>./.labplatform</c> when it contains an admin token,
    /// because <c>make run</c> keeps its data there. Otherwise it is the standalone gateway's default,
    /// <c>$XDG_DATA_HOME/labplatform</c> or <c>~/.local/share/labplatform</c>.
    /// </summary>
    public static string DefaultDataDirectory(CliEnvironment environment)
    {
        ArgumentNullException.ThrowIfNull(environment);

        var makeRunDirectory = Path.Combine(environment.CurrentDirectory, MakeRunDataDirectory);
        if (File.Exists(Path.Combine(makeRunDirectory, AdminTokenFileName)))
        {
            return makeRunDirectory;
        }

        var dataHome = environment.GetNonEmptyVariable("XDG_DATA_HOME") ?? Path.Combine(environment.HomeDirectory, ".local", "share");
        return Path.Combine(dataHome, "labplatform");
    }

    /// <summary>Path of the admin token file in <see cref="DataDirectory"/>.</summary>
    public string AdminTokenPath => Path.Combine(DataDirectory, AdminTokenFileName);

    /// <summary>
    /// Returns the admin token: <c>--admin-token</c>, else <c>LABCTL_ADMIN_TOKEN</c>, else the
    /// <c>admin-token</c> file the gateway wrote into its data folder.
    /// </summary>
    public string ResolveAdminToken()
    {
        if (!string.IsNullOrWhiteSpace(AdminToken))
        {
            return AdminToken.Trim();
        }

        var path = AdminTokenPath;
        try
        {
            return File.ReadAllText(path).Trim();
        }
        catch (Exception ex) when (ex is FileNotFoundException or DirectoryNotFoundException or UnauthorizedAccessException)
        {
            throw new CliException(
                $"No admin token: '{path}' could not be read ({ex.GetType().Name}). Pass --admin-token, set LABCTL_ADMIN_TOKEN, " +
                $"or point --data-dir at the gateway's data folder ({MakeRunDataDirectory} in the repository for 'make run').",
                ExitCodes.NotAuthorized);
        }
    }

    /// <summary>
    /// Returns the message for an admin token that the gateway rejected: where the token came from, where
    /// the local platform keeps the right one and how to pass it.
    /// </summary>
    public string DescribeRejectedAdminToken(string gatewayResponse)
    {
        var source = string.IsNullOrWhiteSpace(AdminToken)
            ? $"read from '{AdminTokenPath}'"
            : "from --admin-token or LABCTL_ADMIN_TOKEN";
        return $"The gateway at {GatewayUrl} rejected the admin token ({source}): {gatewayResponse.TrimEnd('.')}. " +
            $"The local platform writes its admin token to <data-dir>/{AdminTokenFileName}, for 'make run' " +
            $"{MakeRunDataDirectory}/{AdminTokenFileName} in the repository. Pass that folder with --data-dir " +
            "or the token with --admin-token, and check that --gateway is the gateway of that data folder.";
    }
}
