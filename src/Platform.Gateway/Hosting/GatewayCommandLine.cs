namespace Platform.Gateway.Hosting;

/// <summary>
/// Translates the gateway's short flags into configuration keys, because the .NET command-line
/// configuration provider needs a value after every key and cannot express a bare <c>--local</c>.
/// </summary>
internal static class GatewayCommandLine
{
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
