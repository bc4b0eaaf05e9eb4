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

    /// <summary>
    /// Turns the flags into configuration arguments. Raises <see cref="ArgumentException"/> for an unknown flag or a
    /// missing value, because a silently ignored <c>--data-dir</c> would write tenant data to the wrong folder.
    /// </summary>
    public static string[] Normalize(IReadOnlyList<string> args)
    {
        var result = new List<string>(args.Count);
        for (var i = 0; i < args.Count; i++)
        {
            var arg = args[i];
            switch (arg)
            {
                case "--local":
                    result.Add("--Gateway:Local=true");
                    break;
                case "--data-dir":
                    result.Add($"--Gateway:DataDirectory={Value(args, ref i)}");
                    break;
                case "--gateway-secret":
                    result.Add($"--Gateway:GatewaySecret={Value(args, ref i)}");
                    break;
                case "--tracking-server":
                    result.Add($"--Runtime:TrackingServerPath={Value(args, ref i)}");
                    break;
                case "--urls":
                    result.Add($"--urls={Value(args, ref i)}");
                    break;
                default:
                    // Any other setting is a configuration key such as --Oidc:Enabled=true or --urls=http://...
                    var key = arg.Split('=', 2)[0];
                    if (!arg.StartsWith("--", StringComparison.Ordinal) || !(key.Contains(':', StringComparison.Ordinal) || key == "--urls"))
                    {
                        throw new ArgumentException($"Unknown option '{arg}'. Run with --help to list the options.");
                    }

                    result.Add(arg.Contains('=', StringComparison.Ordinal) ? arg : $"{arg}={Value(args, ref i)}");
                    break;
            }
        }

        return [.. result];
    }

    private static string Value(IReadOnlyList<string> args, ref int i)
    {
        if (i + 1 >= args.Count || args[i + 1].StartsWith("--", StringComparison.Ordinal))
        {
            throw new ArgumentException($"Option '{args[i]}' needs a value.");
        }

        return args[++i];
    }
}
