using System.CommandLine;
using Platform.Cli.Gateway;

namespace Platform.Cli.Commands;

/// <summary>Options every command accepts: where the gateway is and where its admin token lives.</summary>
internal sealed class GlobalOptions
{
    public Option<string?> Gateway { get; } = new("--gateway")
    {
        Description = $"Gateway base URL (default: LABCTL_GATEWAY or {GatewaySettings.DefaultGatewayUrl}).",
        Recursive = true,
    };

    public Option<string?> AdminToken { get; } = new("--admin-token")
    {
        Description = "Admin token for tenant and token commands (default: LABCTL_ADMIN_TOKEN, else the admin-token file in the data folder).",
        Recursive = true,
    };

    public Option<string?> DataDirectory { get; } = new("--data-dir")
    {
        Description = "The local gateway's data folder, where it writes admin-token (default: LABPLATFORM_DATA_DIR, else ./.labplatform when it contains admin-token, as after 'make run' in the repository, else ~/.local/share/labplatform).",
        Recursive = true,
    };

    public void AddTo(RootCommand root)
    {
        root.Options.Add(Gateway);
        root.Options.Add(AdminToken);
        root.Options.Add(DataDirectory);
    }

    /// <summary>Resolves the settings from options, then environment variables, then defaults.</summary>
    public GatewaySettings Resolve(ParseResult parseResult, CliEnvironment environment)
    {
        var gateway = parseResult.GetValue(Gateway) ?? environment.GetNonEmptyVariable("LABCTL_GATEWAY") ?? GatewaySettings.DefaultGatewayUrl;
        if (!Uri.TryCreate(gateway, UriKind.Absolute, out var gatewayUrl) || (gatewayUrl.Scheme != Uri.UriSchemeHttp && gatewayUrl.Scheme != Uri.UriSchemeHttps))
        {
            throw new CliException($"Invalid --gateway '{gateway}': give an http or https URL such as {GatewaySettings.DefaultGatewayUrl}.", ExitCodes.InvalidArguments);
        }

        // labctl appends /u/<tenant> itself, so a tenant URL here would produce paths such as /u/alice/u/alice.
        if (gatewayUrl.AbsolutePath.Contains("/u/", StringComparison.Ordinal))
        {
            throw new CliException(
                $"Invalid --gateway '{gateway}': give the gateway's base URL without a tenant path, such as {gatewayUrl.GetLeftPart(UriPartial.Authority)}/, because labctl adds /u/<tenant> itself.",
                ExitCodes.InvalidArguments);
        }

        // A trailing slash makes relative admin paths resolve under the gateway's path.
        if (!gatewayUrl.AbsoluteUri.EndsWith('/'))
        {
            gatewayUrl = new Uri(gatewayUrl.AbsoluteUri + "/");
        }

        var adminToken = parseResult.GetValue(AdminToken);
        if (adminToken is not null && string.IsNullOrWhiteSpace(adminToken))
        {
            throw new CliException(
                "Invalid --admin-token: the value is empty. Pass the admin token, or leave the option out to use LABCTL_ADMIN_TOKEN or the admin-token file in the data folder.",
                ExitCodes.InvalidArguments);
        }

        adminToken ??= environment.GetNonEmptyVariable("LABCTL_ADMIN_TOKEN");
        var dataDirectory = parseResult.GetValue(DataDirectory)
            ?? environment.GetNonEmptyVariable("LABPLATFORM_DATA_DIR")
            ?? GatewaySettings.DefaultDataDirectory(environment);
        return new GatewaySettings(gatewayUrl, adminToken, dataDirectory);
    }
}
