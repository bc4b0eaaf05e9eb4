using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Reflection;

namespace Platform.Benchmarks.Artifacts;

/// <summary>
/// The artifact host started as a child process (this program with <c>artifacts --serve</c>), so its
/// memory can be measured apart from the load generator and the GCS test server.
/// </summary>
internal sealed class ArtifactsHostProcess : IAsyncDisposable
{
    private const int OutputLinesKept = 40;

    private readonly Queue<string> _output = new();
    private readonly TaskCompletionSource _ready = new(TaskCreationOptions.RunContinuationsAsynchronously);

    private ArtifactsHostProcess(Process process, Uri baseUri)
    {
        Process = process;
        BaseUri = baseUri;
    }

    public Process Process { get; }

    public Uri BaseUri { get; }

    /// <summary>
    /// Starts the host for <paramref name="destination"/> and waits for its ready line. The child uses
    /// Server GC, the default of ASP.NET Core services such as the tracking server.
    /// </summary>
    public static async Task<ArtifactsHostProcess> StartAsync(string destination, string? gcsBaseUri, int gcsChunkSize, CancellationToken cancellationToken)
    {
        var port = GetFreePort();
        var entryAssembly = Assembly.GetEntryAssembly()?.Location
            ?? throw new InvalidOperationException("The entry assembly has no file location, so the benchmark cannot start itself as the host.");
        var startInfo = new ProcessStartInfo("dotnet")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        startInfo.ArgumentList.Add(entryAssembly);
        foreach (var argument in new[] { "artifacts", "--serve", destination, "--port", port.ToString(CultureInfo.InvariantCulture), "--gcs-chunk-kib", (gcsChunkSize / 1024).ToString(CultureInfo.InvariantCulture) })
        {
            startInfo.ArgumentList.Add(argument);
        }

        if (gcsBaseUri is not null)
        {
            startInfo.ArgumentList.Add("--gcs-base-uri");
            startInfo.ArgumentList.Add(gcsBaseUri);
        }

        startInfo.Environment["DOTNET_gcServer"] = "1";
        var process = Process.Start(startInfo) ?? throw new InvalidOperationException($"Starting 'dotnet {entryAssembly} artifacts --serve' failed.");
        var host = new ArtifactsHostProcess(process, new Uri($"http://127.0.0.1:{port}/"));
        process.OutputDataReceived += (_, e) => host.Keep(e.Data);
        process.ErrorDataReceived += (_, e) => host.Keep(e.Data);
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        try
        {
            await host._ready.Task.WaitAsync(TimeSpan.FromSeconds(60), cancellationToken);
        }
        catch (TimeoutException)
        {
            await host.DisposeAsync();
            throw new TimeoutException($"The artifact host did not start within 60 s. Its output:\n{host.OutputTail()}");
        }

        if (process.HasExited)
        {
            throw new InvalidOperationException($"The artifact host exited with code {process.ExitCode}. Its output:\n{host.OutputTail()}");
        }

        return host;
    }

    public string OutputTail()
    {
        lock (_output)
        {
            return string.Join('\n', _output);
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (!Process.HasExited)
        {
            Process.Kill(entireProcessTree: true);
            await Process.WaitForExitAsync();
        }

        Process.Dispose();
    }

    private void Keep(string? line)
    {
        if (line is null)
        {
            // End of output means the child exited, so the wait for the ready line ends too.
            _ready.TrySetResult();
            return;
        }

        if (line == ArtifactsHost.ReadyLine)
        {
            _ready.TrySetResult();
        }

        lock (_output)
        {
            _output.Enqueue(line);
            while (_output.Count > OutputLinesKept)
            {
                _output.Dequeue();
            }
        }
    }

    private static int GetFreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
