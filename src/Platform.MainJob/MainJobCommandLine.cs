using System.Globalization;

namespace Platform.MainJob;

/// <summary>Parses the main job's flags; raises <see cref="ArgumentException"/> naming the bad flag.</summary>
public static class MainJobCommandLine
{
    public const string Usage =
        """
        Usage: Platform.MainJob [options]
          --data-dir DIR         data folder reused across runs (default .labplatform in the repository)
          --port PORT            gateway port on 127.0.0.1 (default 8080)
          --inference-port PORT  inference worker port on 127.0.0.1 (default 8090)
          --epochs N             maximum training epochs; auto-stop ends earlier (default 50)
          --no-wait              stop the platform after the job instead of waiting for Ctrl-C
          --help                 print this help
        """;

    /// <summary>Parses <paramref name="args"/>; returns null when help was requested.</summary>
    public static MainJobOptions? Parse(IReadOnlyList<string> args, string repositoryRoot, string configuration)
    {
        var dataDirectory = Path.Combine(repositoryRoot, ".labplatform");
        var gatewayPort = 8080;
        var inferencePort = 8090;
        var epochs = 50;
        var keepRunning = true;
        for (var i = 0; i < args.Count; i++)
        {
            switch (args[i])
            {
                case "--help" or "-h":
                    return null;
                case "--no-wait":
                    keepRunning = false;
                    break;
                case "--data-dir":
                    dataDirectory = Path.GetFullPath(Value(args, ref i));
                    break;
                case "--port":
                    gatewayPort = Number(args, ref i, 1, 65535);
                    break;
                case "--inference-port":
                    inferencePort = Number(args, ref i, 1, 65535);
                    break;
                case "--epochs":
                    epochs = Number(args, ref i, 1, 1000);
                    break;
                default:
                    throw new ArgumentException($"Unknown option '{args[i]}'. Run with --help to list the options.");
            }
        }

        if (gatewayPort == inferencePort)
        {
            throw new ArgumentException($"--port and --inference-port are both {gatewayPort}; choose two different ports.");
        }

        return new MainJobOptions
        {
            DataDirectory = dataDirectory,
            RepositoryRoot = repositoryRoot,
            Configuration = configuration,
            GatewayPort = gatewayPort,
            InferencePort = inferencePort,
            Epochs = epochs,
            KeepRunning = keepRunning,
        };
    }

    private static string Value(IReadOnlyList<string> args, ref int i)
    {
        if (i + 1 >= args.Count || args[i + 1].StartsWith("--", StringComparison.Ordinal))
        {
            throw new ArgumentException($"Option '{args[i]}' needs a value.");
        }

        return args[++i];
    }

    private static int Number(IReadOnlyList<string> args, ref int i, int min, int max)
    {
        var option = args[i];
        var text = Value(args, ref i);
        if (!int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var value) || value < min || value > max)
        {
            throw new ArgumentException($"Invalid value '{text}' for {option}: expected a whole number from {min} to {max}.");
        }

        return value;
    }
}
