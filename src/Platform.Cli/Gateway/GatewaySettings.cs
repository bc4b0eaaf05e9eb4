namespace Platform.Cli.Gateway;

/// <summary>Where the gateway is and how <c>labctl</c> finds the admin token.</summary>
public sealed record GatewaySettings(Uri GatewayUrl, string? AdminToken, string DataDirectory)
{
    /// <summary>Default gateway address of the one-machine platform.</summary>
    public const string DefaultGatewayUrl = "http://127.0.0.1:8080";

    /// <summary>Returns the data folder the local gateway uses by default: <c>$XDG_DATA_HOME/labplatform</c> or <c>~/.local/share/labplatform</c>.</summary>
    public static string DefaultDataDirectory(CliEnvironment environment)
    {
        ArgumentNullException.ThrowIfNull(environment);

        var dataHome = environment.GetNonEmptyVariable("XDG_DATA_HOME") ?? Path.Combine(environment.HomeDirectory, ".local", "share");
        return Path.Combine(dataHome, "labplatform");
    }

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

        var path = Path.Combine(DataDirectory, "admin-token");
        try
        {
            return File.ReadAllText(path).Trim();
        }
        catch (Exception ex) when (ex is FileNotFoundException or DirectoryNotFoundException or UnauthorizedAccessException)
        {
            throw new CliException(
                $"No admin token: '{path}' could not be read ({ex.GetType().Name}). Pass --admin-token, set LABCTL_ADMIN_TOKEN, or point --data-dir at the gateway's data folder.",
                ExitCodes.NotAuthorized);
        }
    }
}
