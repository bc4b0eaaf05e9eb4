using System.Globalization;

namespace Platform.Tracking.Hosting;

/// <summary>Parses the <c>mlflow server</c>-style flags into <see cref="TrackingServerOptions"/>.</summary>
public static class CommandLine
{
    public const string Usage =
        """
        Usage: Platform.Tracking [options]
          --host ADDRESS               address to listen on (default 127.0.0.1)
          --port PORT                  TCP port, 0 for any free port (default 5000)
          --backend-store-uri URI      sqlite:///abs/path.db, sqlite:///:memory: or
                                       postgresql://user:pass@host:port/db?schema=name
                                       (default sqlite file ./mlruns-data/mlflow.db)
          --artifacts-destination DIR  folder or gs://bucket/prefix for artifacts
          --gateway-secret SECRET      secret shared with the gateway (or LABPLATFORM_GATEWAY_SECRET)
          --require-gateway            reject requests without the gateway secret, except health probes
                                       (or LABPLATFORM_REQUIRE_GATEWAY=true)
          --help                       print this help
        """;

    /// <summary>
    /// Parses <paramref name="args"/>. Returns null and sets <paramref name="error"/> on a bad flag, and returns null with
    /// no error when help was requested.
    /// </summary>
    public static TrackingServerOptions? Parse(IReadOnlyList<string> args, Func<string, string?> getEnvironment, out string? error)
    {
        ArgumentNullException.ThrowIfNull(args);
        ArgumentNullException.ThrowIfNull(getEnvironment);

        error = null;
        var options = new TrackingServerOptions
        {
            GatewaySecret = getEnvironment("LABPLATFORM_GATEWAY_SECRET"),
            RequireGateway = string.Equals(getEnvironment("LABPLATFORM_REQUIRE_GATEWAY"), "true", StringComparison.OrdinalIgnoreCase),
        };
        for (var i = 0; i < args.Count; i++)
        {
            var arg = args[i];
            string? inlineValue = null;
            var equals = arg.IndexOf('=', StringComparison.Ordinal);
            if (arg.StartsWith("--", StringComparison.Ordinal) && equals > 0)
            {
                inlineValue = arg[(equals + 1)..];
                arg = arg[..equals];
            }

            if (arg is "--help" or "-h")
            {
                return null;
            }

            if (arg == "--require-gateway")
            {
                options.RequireGateway = true;
                continue;
            }

            if (arg is not ("--host" or "--port" or "--backend-store-uri" or "--artifacts-destination" or "--gateway-secret"))
            {
                error = $"Unknown option '{arg}'. Run with --help to list the options.";
                return null;
            }

            var value = inlineValue;
            if (value is null)
            {
                if (i + 1 >= args.Count || args[i + 1].StartsWith("--", StringComparison.Ordinal))
                {
                    error = $"Option '{arg}' needs a value.";
                    return null;
                }

                value = args[++i];
            }

            switch (arg)
            {
                case "--host":
                    // Kestrel listens on every interface for a host it cannot parse, so only addresses are accepted.
                    if (value != "localhost" && !System.Net.IPAddress.TryParse(value, out _))
                    {
                        error = $"Invalid value '{value}' for --host: expected an IP address such as 127.0.0.1 or 0.0.0.0, or localhost.";
                        return null;
                    }

                    options.Host = value;
                    break;
                case "--port":
                    if (!int.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out var port) || port > 65535)
                    {
                        error = $"Invalid value '{value}' for --port: expected a number from 0 to 65535.";
                        return null;
                    }

                    options.Port = port;
                    break;
                case "--backend-store-uri":
                    try
                    {
                        BackendStoreUri.Parse(value);
                    }
                    catch (Exception ex) when (ex is FormatException or ArgumentException)
                    {
                        error = ex.Message;
                        return null;
                    }

                    options.BackendStoreUri = value;
                    break;
                case "--artifacts-destination":
                    if (ValidateArtifactsDestination(value) is { } destinationError)
                    {
                        error = destinationError;
                        return null;
                    }

                    options.ArtifactsDestination = value;
                    break;
                default:
                    options.GatewaySecret = value;
                    break;
            }
        }

        if (options.RequireGateway && string.IsNullOrEmpty(options.GatewaySecret))
        {
            error = "--require-gateway needs the gateway secret: pass --gateway-secret or set LABPLATFORM_GATEWAY_SECRET.";
            return null;
        }

        return options;
    }

    private static string? ValidateArtifactsDestination(string value)
    {
        if (value.StartsWith(Platform.Artifacts.Gcs.GcsLocation.Scheme + "://", StringComparison.Ordinal))
        {
            try
            {
                Platform.Artifacts.Gcs.GcsLocation.Parse(value);
                return null;
            }
            catch (ArgumentException ex)
            {
                return $"Invalid value '{value}' for --artifacts-destination: {ex.Message}";
            }
        }

        var schemeEnd = value.IndexOf("://", StringComparison.Ordinal);
        if (schemeEnd > 0 && !value.StartsWith("file://", StringComparison.OrdinalIgnoreCase))
        {
            return $"Invalid value '{value}' for --artifacts-destination: the scheme '{value[..schemeEnd]}' is not supported. Use a folder, 'file:///folder' or 'gs://bucket/prefix'.";
        }

        return null;
    }
}
