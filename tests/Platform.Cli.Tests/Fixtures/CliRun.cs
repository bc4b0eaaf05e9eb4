using Platform.Cli;

namespace Platform.Cli.Tests.Fixtures;

/// <summary>Runs <c>labctl</c> in-process with its own home folder, environment and recorded waits.</summary>
public sealed class CliRun : IDisposable
{
    public CliRun()
    {
        Home = Directory.CreateTempSubdirectory("labctl-home-").FullName;
        CurrentDirectory = Home;
        Variables["HOME"] = Home;
        Variables["XDG_CONFIG_HOME"] = Path.Combine(Home, "config");
        Variables["XDG_DATA_HOME"] = Path.Combine(Home, "data");
    }

    public string Home { get; }

    /// <summary>Working folder passed to labctl, by default the home folder.</summary>
    public string CurrentDirectory { get; set; }

    public Dictionary<string, string> Variables { get; } = new(StringComparer.Ordinal);

    /// <summary>Waits requested by the device flow, in order; none of them actually sleeps.</summary>
    public List<TimeSpan> Delays { get; } = [];

    public string CredentialsPath => Path.Combine(Home, "config", "labplatform", "credentials.json");

    /// <summary>Runs one command and returns its exit code, standard output and standard error.</summary>
    public async Task<(int ExitCode, string Out, string Error)> RunAsync(params string[] args)
    {
        using var output = new StringWriter();
        using var error = new StringWriter();
        var exitCode = await LabctlApp.RunAsync(args, CreateEnvironment(output, error), CancellationToken.None);
        return (exitCode, output.ToString(), error.ToString());
    }

    /// <summary>Creates the environment that <see cref="RunAsync"/> passes to labctl, writing to <paramref name="output"/> and <paramref name="error"/>.</summary>
    public CliEnvironment CreateEnvironment(TextWriter output, TextWriter error) => new()
    {
        Out = output,
        Error = error,
        GetVariable = name => Variables.GetValueOrDefault(name),
        CurrentDirectory = CurrentDirectory,
        Delay = (delay, _) =>
        {
            Delays.Add(delay);
            return Task.CompletedTask;
        },
    };

    /// <summary>Returns a socket bound to a loopback port without listening, so the port stays reserved and refuses connections.</summary>
    public static System.Net.Sockets.Socket ReserveClosedPort()
    {
        var socket = new System.Net.Sockets.Socket(System.Net.Sockets.SocketType.Stream, System.Net.Sockets.ProtocolType.Tcp);
        socket.Bind(new System.Net.IPEndPoint(System.Net.IPAddress.Loopback, 0));
        return socket;
    }

    public void Dispose() => Directory.Delete(Home, recursive: true);
}
