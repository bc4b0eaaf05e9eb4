using System.Diagnostics;
using System.Globalization;
using System.Text.RegularExpressions;
using Platform.ServiceDefaults;

namespace Platform.Gateway.Runtime;

/// <summary>
/// Command line and environment of one tenant's tracking server:
/// <c>dotnet Platform.Tracking.dll --host 127.0.0.1 --port 0 --backend-store-uri sqlite:////DATA/tenants/T/tracking.db --artifacts-destination DATA/tenants/T/artifacts</c>,
/// with the gateway secret in <c>LABPLATFORM_GATEWAY_SECRET</c> and the gateway's PID in <c>LABPLATFORM_PARENT_PID</c>.
/// </summary>
/// <remarks>
/// The server picks its own port (<c>--port 0</c>) and the launch reads it from the ASP.NET Core
/// "Now listening on" log line. A port probed by the gateway could be taken by another tenant's
/// server before this one binds it, and the health check would then pass on the wrong server.
/// </remarks>
internal sealed partial class TrackingServerLaunch
{
    /// <summary>Environment variable the tracking server reads the gateway secret from.</summary>
    public const string SecretVariable = "LABPLATFORM_GATEWAY_SECRET";

    private readonly string _serverPath;
    private readonly string _tenantDirectory;
    private readonly string _secret;

    public TrackingServerLaunch(string serverPath, string tenantDirectory, string secret)
    {
        _serverPath = serverPath;
        _tenantDirectory = tenantDirectory;
        _secret = secret;
    }

    /// <summary>Arguments after the program (or after <c>dotnet &lt;dll&gt;</c>).</summary>
    public IReadOnlyList<string> BuildArguments() =>
    [
        "--host", "127.0.0.1",
        "--port", "0",
        // SQLAlchemy form: "sqlite:///" followed by an absolute path gives four slashes.
        "--backend-store-uri", "sqlite:///" + Path.GetFullPath(Path.Combine(_tenantDirectory, "tracking.db")),
        "--artifacts-destination", Path.Combine(_tenantDirectory, "artifacts"),
    ];

    /// <summary>
    /// Starts the server; its output goes to <c>tracking.log</c> in the tenant folder. <paramref name="listening"/>
    /// receives the base address once the server logs it.
    /// </summary>
    public Process Start(TaskCompletionSource<string> listening)
    {
        ArgumentNullException.ThrowIfNull(listening);

        Directory.CreateDirectory(Path.Combine(_tenantDirectory, "artifacts"));

        var isAssembly = _serverPath.EndsWith(".dll", StringComparison.OrdinalIgnoreCase);
        var startInfo = new ProcessStartInfo(isAssembly ? "dotnet" : _serverPath)
        {
            UseShellExecute = false,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = true,
            WorkingDirectory = _tenantDirectory,
        };
        if (isAssembly)
        {
            startInfo.ArgumentList.Add(_serverPath);
        }

        foreach (var argument in BuildArguments())
        {
            startInfo.ArgumentList.Add(argument);
        }

        // The secret goes through the environment, not --gateway-secret, so 'ps' does not show it.
        startInfo.Environment[SecretVariable] = _secret;

        // Local tenants listen on loopback ports that any local process can reach, so they accept only the gateway.
        startInfo.Environment["LABPLATFORM_REQUIRE_GATEWAY"] = "true";

        // The server stops when the gateway dies, even by SIGKILL, so it cannot outlive it and hold tracking.db.
        startInfo.Environment[ParentProcessWatcher.ParentPidVariable] = Environment.ProcessId.ToString(CultureInfo.InvariantCulture);

        // The gateway's own listen settings must not override --host and --port.
        startInfo.Environment.Remove("ASPNETCORE_URLS");
        startInfo.Environment.Remove("URLS");
        startInfo.Environment.Remove("ASPNETCORE_HTTP_PORTS");

        var log = new StreamWriter(Path.Combine(_tenantDirectory, "tracking.log"), append: true) { AutoFlush = true };
        var process = new Process { StartInfo = startInfo, EnableRaisingEvents = true };
        process.OutputDataReceived += (_, e) =>
        {
            WriteLine(log, e.Data);
            if (e.Data is not null && ListeningPattern().Match(e.Data) is { Success: true } match)
            {
                listening.TrySetResult(match.Groups[1].Value);
            }
        };
        process.ErrorDataReceived += (_, e) => WriteLine(log, e.Data);
        process.Exited += (_, _) => DisposeLog(log);
        if (!process.Start())
        {
            DisposeLog(log);
            throw new InvalidOperationException($"The tracking server '{_serverPath}' did not start.");
        }

        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return process;
    }

    // ASP.NET Core's Microsoft.Hosting.Lifetime message, in plain or JSON console format.
    [GeneratedRegex(@"Now listening on: (http://127\.0\.0\.1:\d+)", RegexOptions.CultureInvariant)]
    private static partial Regex ListeningPattern();

    private static void WriteLine(StreamWriter log, string? line)
    {
        if (line is null)
        {
            return;
        }

        lock (log)
        {
            try
            {
                log.WriteLine(line);
            }
            catch (ObjectDisposedException)
            {
                // Output that arrives after the process exited is dropped.
            }
        }
    }

    private static void DisposeLog(StreamWriter log)
    {
        lock (log)
        {
            log.Dispose();
        }
    }
}
