namespace Platform.Gateway.Hosting;

/// <summary>
/// Translates the gateway's short flags into configuration keys, because the .NET command-line
/// configuration provider needs a value after every key and cannot express a bare <c>--local</c>.
/// </summary>
internal static class GatewayCommandLine
{
    public const string Usage =
        """
        Usage: Platform.Gateway [options]
          --local                  run the one-machine platform: one tracking server per tenant as a child process
          --data-dir DIR           folder for tenants, tokens and tenant data (default ~/.local/share/labplatform)
          --tracking-server PATH   Platform.Tracking.dll to start in local mode (default: found beside the gateway)
          --gateway-secret SECRET  secret shared with the tracking servers (required outside local mode)
          --urls URL               listen address (default http://127.0.0.1:8080)
          --help                   print this help
        Any other setting can be given as --Section:Key=value, for example --Oidc:Enabled=true.
        """;

    public static string[] Normalize(IReadOnlyList<string> args)
    {
        var result = new List<string>(args.Count);
        for (var i = 0; i < args.Count; i++)
        {
            switch (args[i])
            {
                case "--local":
                    result.Add("--Gateway:Local=true");
                    break;
                case "--data-dir" when i + 1 < args.Count:
                    result.Add($"--Gateway:DataDirectory={args[++i]}");
                    break;
                case "--gateway-secret" when i + 1 < args.Count:
                    result.Add($"--Gateway:GatewaySecret={args[++i]}");
                    break;
                case "--tracking-server" when i + 1 < args.Count:
                    result.Add($"--Runtime:TrackingServerPath={args[++i]}");
                    break;
                default:
                    result.Add(args[i]);
                    break;
            }
        }

        return [.. result];
    }
}
