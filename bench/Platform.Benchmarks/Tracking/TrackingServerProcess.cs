using System.Diagnostics;
using System.Net;
using System.Net.Sockets;

namespace Platform.Benchmarks.Tracking;

/// <summary>The tracking server started as a child process (<c>dotnet Platform.Tracking.dll --port P --backend-store-uri URI</c>).</summary>
internal sealed class TrackingServerProcess : IAsyncDisposable
{
    private const int OutputLinesKept = 40;

    private readonly Process _process;
    private readonly Queue<string> _output = new();

    private TrackingServerProcess(Process process, Uri baseUri)
    {
        _process = process;
        BaseUri = baseUri;
    }

    public Uri BaseUri { get; }

    /// <summary>Starts the server and waits until <c>/readyz</c> returns 200, or fails with the server's last output lines.</summary>
    public static async Task<TrackingServerProcess> StartAsync(string serverDll, string backendStoreUri, TimeSpan readyTimeout, CancellationToken cancellationToken)
    {
        if (!File.Exists(serverDll))
        {
            throw new FileNotFoundException(
                $"Tracking server '{serverDll}' does not exist. Build it first: dotnet build src/Platform.Tracking -c Release (scripts/bench.sh does this).", serverDll);
        }

        var port = GetFreePort();
        var startInfo = new ProcessStartInfo("dotnet")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            WorkingDirectory = Path.GetDirectoryName(serverDll)!,
        };
        foreach (var argument in new[] { serverDll, "--host", "127.0.0.1", "--port", port.ToString(System.Globalization.CultureInfo.InvariantCulture), "--backend-store-uri", backendStoreUri })
        {
            startInfo.ArgumentList.Add(argument);
        }

        // Console logging of every request would measure the terminal, not the server.
        startInfo.Environment["Logging__LogLevel__Default"] = "Warning";
        var process = Process.Start(startInfo) ?? throw new InvalidOperationException($"Starting 'dotnet {serverDll}' failed.");
        var server = new TrackingServerProcess(process, new Uri($"http://127.0.0.1:{port}"));
        process.OutputDataReceived += (_, e) => server.Keep(e.Data);
        process.ErrorDataReceived += (_, e) => server.Keep(e.Data);
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        try
        {
            await server.WaitUntilReadyAsync(readyTimeout, cancellationToken);
        }
        catch
        {
            await server.DisposeAsync();
            throw;
        }

        return server;
    }

    public async ValueTask DisposeAsync()
    {
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
            await _process.WaitForExitAsync();
        }

        _process.Dispose();
    }

    private async Task WaitUntilReadyAsync(TimeSpan timeout, CancellationToken cancellationToken)
    {
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(5) };
        var deadline = DateTime.UtcNow + timeout;
        var readiness = new Uri(BaseUri, "/readyz");
        while (DateTime.UtcNow < deadline)
        {
            if (_process.HasExited)
            {
                throw new InvalidOperationException($"The tracking server exited with code {_process.ExitCode} before it was ready. Its output:\n{OutputTail()}");
            }

            try
            {
                using var response = await http.GetAsync(readiness, cancellationToken);
                if (response.StatusCode == HttpStatusCode.OK)
                {
                    return;
                }
            }
            catch (HttpRequestException)
            {
                // Not listening yet.
            }
            catch (TaskCanceledException) when (!cancellationToken.IsCancellationRequested)
            {
                // A single slow probe; try again until the deadline.
            }

            await Task.Delay(200, cancellationToken);
        }

        throw new TimeoutException($"The tracking server at {BaseUri} was not ready within {timeout}. Its output:\n{OutputTail()}");
    }

    private void Keep(string? line)
    {
        if (line is null)
        {
            return;
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

    private string OutputTail()
    {
        lock (_output)
        {
            return string.Join('\n', _output);
        }
    }

    private static int GetFreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
