using System.Diagnostics;
using System.Globalization;
using System.Runtime.InteropServices;
using System.Text.RegularExpressions;

namespace Platform.MainJob;

/// <summary>
/// A platform program started with <c>dotnet</c>: its output goes to a log file (and to the console when
/// echoed), and disposing it stops it with SIGTERM, then kills its process tree if it does not exit in time.
/// SIGTERM gives a training worker <see cref="StopTimeout"/> to end its MLflow run as KILLED.
/// </summary>
internal sealed partial class ChildProcess : IAsyncDisposable
{
    private const int SigTerm = 15;

    // The name Platform.ServiceDefaults.ParentProcessWatcher reads.
    private const string ParentPidVariable = "LABPLATFORM_PARENT_PID";
    private const int MaxErrorLines = 20;
    private static readonly TimeSpan StopTimeout = TimeSpan.FromSeconds(15);

    private readonly Process _process;
    private readonly StreamWriter _log;
    private readonly TextWriter? _echo;
    private readonly Lock _gate = new();
    private readonly List<string> _lines = [];
    private readonly Queue<string> _errorLines = new();

    private ChildProcess(string name, Process process, StreamWriter log, TextWriter? echo)
    {
        Name = name;
        _process = process;
        _log = log;
        _echo = echo;
    }

    /// <summary>Short name used in messages, for example <c>gateway</c>.</summary>
    public string Name { get; }

    /// <summary>Whether the process has exited.</summary>
    public bool HasExited => _process.HasExited;

    /// <summary>Exit code, once <see cref="HasExited"/>.</summary>
    public int ExitCode => _process.ExitCode;

    /// <summary>Standard output lines so far, without the log's stderr lines.</summary>
    public IReadOnlyList<string> OutputLines
    {
        get
        {
            lock (_gate)
            {
                return [.. _lines];
            }
        }
    }

    /// <summary>The last standard error lines, at most 20, oldest first.</summary>
    public IReadOnlyList<string> ErrorLines
    {
        get
        {
            lock (_gate)
            {
                return [.. _errorLines];
            }
        }
    }

    /// <summary>
    /// Starts <c>dotnet <paramref name="assembly"/> <paramref name="arguments"/></c> with extra
    /// <paramref name="environment"/> variables, appending its output to <paramref name="logFile"/>.
    /// With <paramref name="ownSession"/> the process runs in a new session (through <c>setsid</c>, where it exists),
    /// so the SIGINT of a Ctrl-C in the terminal does not reach it and the main job decides when it stops.
    /// </summary>
    public static ChildProcess Start(
        string name,
        string assembly,
        IEnumerable<string> arguments,
        IReadOnlyDictionary<string, string> environment,
        string logFile,
        TextWriter? echo = null,
        bool ownSession = false)
    {
        if (!File.Exists(assembly))
        {
            throw new FileNotFoundException($"The {name} program '{assembly}' does not exist. Build the solution first with 'make build'.", assembly);
        }

        // setsid(1) calls setsid(2) and then execs dotnet in place, because a child of .NET is not a process group
        // leader. The PID therefore stays dotnet's, and SIGTERM and the tree kill below still reach the program.
        var setsid = ownSession ? FindSetsid() : null;
        var start = new ProcessStartInfo(setsid ?? "dotnet")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = false,
            UseShellExecute = false,
        };
        if (setsid is not null)
        {
            start.ArgumentList.Add("dotnet");
        }

        start.ArgumentList.Add(assembly);
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        foreach (var (key, value) in environment)
        {
            start.Environment[key] = value;
        }

        // A program built on the service defaults stops when the main job dies, even by SIGKILL. The gateway and
        // the inference worker need this most, because they run in their own sessions.
        start.Environment[ParentPidVariable] = Environment.ProcessId.ToString(CultureInfo.InvariantCulture);

        Directory.CreateDirectory(Path.GetDirectoryName(logFile)!);
        var log = new StreamWriter(logFile, append: true) { AutoFlush = true };
        var process = new Process { StartInfo = start, EnableRaisingEvents = true };
        var child = new ChildProcess(name, process, log, echo);
        process.OutputDataReceived += (_, e) => child.OnLine(e.Data, isError: false);
        process.ErrorDataReceived += (_, e) => child.OnLine(e.Data, isError: true);
        process.Start();
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return child;
    }

    /// <summary>Waits for the process to exit and returns its exit code.</summary>
    public async Task<int> WaitForExitAsync(CancellationToken cancellationToken)
    {
        await _process.WaitForExitAsync(cancellationToken);
        return _process.ExitCode;
    }

    /// <summary>Stops the process: SIGTERM first so it can stop its own children, then a tree kill.</summary>
    public async ValueTask DisposeAsync()
    {
        try
        {
            if (!_process.HasExited)
            {
                _ = Kill(_process.Id, SigTerm);
                using var timeout = new CancellationTokenSource(StopTimeout);
                try
                {
                    await _process.WaitForExitAsync(timeout.Token);
                }
                catch (OperationCanceledException)
                {
                    _process.Kill(entireProcessTree: true);
                    await _process.WaitForExitAsync(CancellationToken.None);
                }
            }
        }
        catch (InvalidOperationException)
        {
            // The process was never started or is already reaped; nothing is left to stop.
        }
        finally
        {
            _process.Dispose();
            await _log.DisposeAsync();
        }
    }

    private void OnLine(string? line, bool isError)
    {
        if (line is null)
        {
            return;
        }

        lock (_gate)
        {
            if (isError)
            {
                _errorLines.Enqueue(line);
                if (_errorLines.Count > MaxErrorLines)
                {
                    _errorLines.Dequeue();
                }
            }
            else
            {
                _lines.Add(line);
            }

            // Platform tokens are shown once on the console by labctl and must not persist in a log file.
            _log.WriteLine(RedactTokens(line));
            _echo?.WriteLine($"    {line}");
        }
    }

    /// <summary>Replaces every platform token (<c>lpt_...</c>) in <paramref name="line"/> with a placeholder.</summary>
    internal static string RedactTokens(string line) => PlatformTokenPattern().Replace(line, "lpt_<redacted>");

    // NOTE: without setsid (macOS, minimal containers) the child stays in the terminal's process group, so a Ctrl-C
    // reaches it directly and it may stop before the training worker has ended its run.
    private static string? FindSetsid()
    {
        if (!OperatingSystem.IsLinux())
        {
            return null;
        }

        var path = Environment.GetEnvironmentVariable("PATH") ?? string.Empty;
        return path.Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries)
            .Select(folder => Path.Combine(folder, "setsid"))
            .FirstOrDefault(File.Exists);
    }

    [GeneratedRegex("lpt_[A-Za-z0-9_-]+")]
    private static partial Regex PlatformTokenPattern();

    [LibraryImport("libc", EntryPoint = "kill", SetLastError = true)]
    private static partial int Kill(int pid, int signal);
}
