using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Http.Json;
using System.Net.Sockets;
using System.Text;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;

namespace Platform.Benchmarks;

/// <summary>
/// <c>Platform.Benchmarks gateway</c>: measures the gateway's proxy overhead with <c>wrk</c> on loopback.
/// Three targets serve the same tracking-server request (<c>GET experiments/get?experiment_id=0</c>):
/// the tracking server directly, the gateway with platform-token authentication, and nginx as a
/// reference reverse proxy. Prints requests/s and p50/p99 latency and replaces the
/// <c>gateway-benchmark</c> section of <c>docs/benchmarks.md</c>.
/// </summary>
/// <remarks>
/// Needs <c>wrk</c> and <c>nginx</c> on PATH (Debian: <c>apt-get install -y wrk nginx</c>) and Release
/// builds of <c>src/Platform.Tracking</c> and <c>src/Platform.Gateway</c>. Every process runs on the same
/// machine, so load generator, proxy and server share the CPUs.
/// </remarks>
public static partial class GatewayBenchmark
{
    private const string SectionName = "gateway-benchmark";
    private const string RequestPath = "/api/2.0/mlflow/experiments/get?experiment_id=0";

    // Long enough for tiered JIT to finish compiling the hot paths of the .NET servers before measuring.
    private static readonly TimeSpan WarmUp = TimeSpan.FromSeconds(5);

    /// <summary>
    /// Runs the benchmark. Options: <c>--duration SECONDS</c> per run (default 10), <c>--connections N,M</c>
    /// (connection counts, default 1,32), <c>--threads N</c> (wrk threads, default 2, at most the
    /// connection count), <c>--no-write</c> (print only).
    /// Returns 0 on success, 1 on a failed run, 2 on invalid options.
    /// </summary>
    public static async Task<int> RunAsync(string[] args)
    {
        ArgumentNullException.ThrowIfNull(args);

        Settings settings;
        try
        {
            settings = Settings.Parse(args);
        }
        catch (ArgumentException ex)
        {
            await Console.Error.WriteLineAsync("error: " + ex.Message);
            return 2;
        }

        using var cancellation = new CancellationTokenSource();
        Console.CancelKeyPress += (_, e) =>
        {
            e.Cancel = true;
            cancellation.Cancel();
        };

        try
        {
            await RunCoreAsync(settings, cancellation.Token);
            return 0;
        }
        catch (Exception ex) when (ex is InvalidOperationException or FileNotFoundException or IOException or HttpRequestException or TimeoutException)
        {
            await Console.Error.WriteLineAsync("error: " + ex.Message);
            return 1;
        }
    }

    private static async Task RunCoreAsync(Settings settings, CancellationToken cancellationToken)
    {
        RequireTool("wrk");
        RequireTool("nginx");
        var root = RepositoryRoot.Find();
        var trackingDll = Path.Combine(root, "src", "Platform.Tracking", "bin", "Release", "net10.0", "Platform.Tracking.dll");
        var gatewayDll = Path.Combine(root, "src", "Platform.Gateway", "bin", "Release", "net10.0", "Platform.Gateway.dll");
        var work = Directory.CreateTempSubdirectory("gateway-bench-").FullName;
        var processes = new List<ChildProcess>();
        try
        {
            // Step 1: the tracking server, the gateway in front of it, and nginx in front of it.
            var trackingPort = FreePort();
            processes.Add(await ChildProcess.StartAsync("dotnet", [trackingDll, "--host", "127.0.0.1", "--port", Port(trackingPort), "--backend-store-uri", "sqlite:///" + Path.Combine(work, "tracking.db"), "--artifacts-destination", Path.Combine(work, "artifacts"), "--gateway-secret", "benchmark-gateway-secret"], trackingDll, $"http://127.0.0.1:{trackingPort}/healthz", cancellationToken));

            var gatewayPort = FreePort();
            processes.Add(await ChildProcess.StartAsync("dotnet", [gatewayDll, "--urls", $"http://127.0.0.1:{gatewayPort}", "--data-dir", Path.Combine(work, "gateway"), "--gateway-secret", "benchmark-gateway-secret"], gatewayDll, $"http://127.0.0.1:{gatewayPort}/healthz", cancellationToken));
            var token = await CreateTenantAndTokenAsync(gatewayPort, trackingPort, Path.Combine(work, "gateway", "admin-token"), cancellationToken);

            var nginxPort = FreePort();
            var nginxConfig = WriteNginxConfig(work, nginxPort, trackingPort);
            processes.Add(await ChildProcess.StartAsync("nginx", ["-c", nginxConfig, "-p", work, "-g", "daemon off;"], "nginx", $"http://127.0.0.1:{nginxPort}/healthz", cancellationToken));

            // Step 2: one warm-up and one measured wrk run per target.
            var targets = new (string Name, string Url, string? Authorization)[]
            {
                ("direct to tracking server", $"http://127.0.0.1:{trackingPort}{RequestPath}", null),
                ("gateway (platform token)", $"http://127.0.0.1:{gatewayPort}/u/bench{RequestPath}", "Bearer " + token),
                ("nginx (reference proxy)", $"http://127.0.0.1:{nginxPort}{RequestPath}", null),
            };
            var results = new List<WrkResult>();
            foreach (var (name, url, authorization) in targets)
            {
                await RunWrkAsync(url, authorization, settings.Connections.Max(), settings with { Duration = WarmUp }, cancellationToken);
                foreach (var connections in settings.Connections)
                {
                    var result = await RunWrkAsync(url, authorization, connections, settings, cancellationToken) with { Target = name, Connections = connections };
                    results.Add(result);
                    Console.WriteLine($"{name}, {connections} connections: {result.RequestsPerSecond:F0} req/s, p50 {result.P50Ms:F3} ms, p99 {result.P99Ms:F3} ms, non-2xx {result.Non2xx}, errors {result.SocketErrors}");
                }
            }

            // Step 3: the table and the verdict against the targets.
            var markdown = Render(results, settings, ReadLoadAverage());
            Console.WriteLine();
            Console.WriteLine(markdown);
            if (settings.Write)
            {
                await BenchmarksDocument.WriteSectionAsync(Path.Combine(root, "docs", "benchmarks.md"), SectionName, markdown, cancellationToken);
            }
        }
        finally
        {
            foreach (var process in processes)
            {
                await process.DisposeAsync();
            }

            Directory.Delete(work, recursive: true);
        }
    }

    private static async Task<string> CreateTenantAndTokenAsync(int gatewayPort, int trackingPort, string adminTokenFile, CancellationToken cancellationToken)
    {
        using var http = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{gatewayPort}/") };
        http.DefaultRequestHeaders.Authorization = new("Bearer", (await File.ReadAllTextAsync(adminTokenFile, cancellationToken)).Trim());
        using var tenant = await http.PostAsJsonAsync("admin/v1/tenants", new { name = "bench", owner = "bench@lab.test", destination = $"http://127.0.0.1:{trackingPort}" }, cancellationToken);
        if (!tenant.IsSuccessStatusCode)
        {
            throw new InvalidOperationException($"Creating the benchmark tenant failed: {(int)tenant.StatusCode} {await tenant.Content.ReadAsStringAsync(cancellationToken)}");
        }

        using var token = await http.PostAsJsonAsync("admin/v1/tokens", new { user = "bench@lab.test", tenant = "bench" }, cancellationToken);
        var body = JsonNode.Parse(await token.Content.ReadAsStringAsync(cancellationToken));
        return body?["secret"]?.GetValue<string>() ?? throw new InvalidOperationException($"Creating the benchmark token failed: {(int)token.StatusCode} {body}");
    }

    private static string WriteNginxConfig(string work, int nginxPort, int trackingPort)
    {
        // Upstream keep-alive matches what the gateway's HttpClient does; without it nginx would open a connection per request.
        var config = $$"""
            worker_processes auto;
            pid {{work}}/nginx.pid;
            error_log {{work}}/nginx-error.log warn;
            events { worker_connections 4096; }
            http {
                access_log off;
                client_body_temp_path {{work}}/nginx-body;
                proxy_temp_path {{work}}/nginx-proxy;
                fastcgi_temp_path {{work}}/nginx-fastcgi;
                uwsgi_temp_path {{work}}/nginx-uwsgi;
                scgi_temp_path {{work}}/nginx-scgi;
                upstream tracking { server 127.0.0.1:{{trackingPort}}; keepalive 64; }
                server {
                    listen 127.0.0.1:{{nginxPort}};
                    location / {
                        proxy_pass http://tracking;
                        proxy_http_version 1.1;
                        proxy_set_header Connection "";
                    }
                }
            }
            """;
        var path = Path.Combine(work, "nginx.conf");
        File.WriteAllText(path, config);
        return path;
    }

    private static async Task<WrkResult> RunWrkAsync(string url, string? authorization, int connections, Settings settings, CancellationToken cancellationToken)
    {
        var startInfo = new ProcessStartInfo("wrk") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        var threads = Math.Min(settings.Threads, connections);
        foreach (var argument in new[] { "-t", Port(threads), "-c", Port(connections), "-d", Port((int)settings.Duration.TotalSeconds) + "s", "--latency" })
        {
            startInfo.ArgumentList.Add(argument);
        }

        if (authorization is not null)
        {
            startInfo.ArgumentList.Add("-H");
            startInfo.ArgumentList.Add("Authorization: " + authorization);
        }

        startInfo.ArgumentList.Add(url);
        using var process = Process.Start(startInfo) ?? throw new InvalidOperationException("Starting wrk failed.");
        var output = await process.StandardOutput.ReadToEndAsync(cancellationToken);
        await process.WaitForExitAsync(cancellationToken);
        if (process.ExitCode != 0)
        {
            throw new InvalidOperationException($"wrk exited with code {process.ExitCode}: {await process.StandardError.ReadToEndAsync(cancellationToken)}");
        }

        return WrkResult.Parse(output);
    }

    // Other work on the machine skews every column, so the page records how busy it was.
    private static string ReadLoadAverage()
    {
        const string path = "/proc/loadavg";
        return File.Exists(path) ? string.Join(' ', File.ReadAllText(path).Split(' ').Take(3)) : "unknown";
    }

    private static string Render(IReadOnlyList<WrkResult> results, Settings settings, string loadAverage)
    {
        // Latency overhead is judged at the lowest connection count, where CPU contention between the
        // processes matters least; throughput is judged at the highest.
        var fewest = settings.Connections.Min();
        var most = settings.Connections.Max();
        WrkResult Find(string prefix, int connections) => results.First(r => r.Target.StartsWith(prefix, StringComparison.Ordinal) && r.Connections == connections);
        var overheadMs = Find("gateway", fewest).P50Ms - Find("direct", fewest).P50Ms;
        var share = Find("gateway", most).RequestsPerSecond / Find("nginx", most).RequestsPerSecond;

        var text = new StringBuilder()
            .AppendLine("## Gateway (`gateway`)")
            .AppendLine()
            .AppendLine($"- Command: `Platform.Benchmarks gateway --duration {settings.Duration.TotalSeconds:F0} --connections {string.Join(',', settings.Connections)} --threads {settings.Threads}`")
            .AppendLine(CultureInfo.InvariantCulture, $"- Date: {DateTime.UtcNow:yyyy-MM-dd HH:mm} UTC")
            .AppendLine($"- Machine: {MachineInfo.Current()}; load average (1, 5, 15 min) after the runs: {loadAverage}")
            .AppendLine($"- Method: `wrk` on loopback with {string.Join(" and ", settings.Connections)} connections (up to {settings.Threads} threads), {settings.Duration.TotalSeconds:F0} s per run after a {WarmUp.TotalSeconds:F0} s warm-up per target, `GET {RequestPath}` on a SQLite-backed tracking server. The gateway checks a platform token and the tenant's access rules on every request; nginx proxies with upstream keep-alive and no authentication. wrk, the proxy and the tracking server share the machine's CPUs, so the proxies compete with the server they measure.")
            .AppendLine()
            .AppendLine("| target | connections | requests/s | p50 ms | p99 ms | non-2xx | socket errors |")
            .AppendLine("| --- | ---: | ---: | ---: | ---: | ---: | ---: |");
        foreach (var result in results.OrderBy(r => r.Connections))
        {
            text.AppendLine(CultureInfo.InvariantCulture, $"| {result.Target} | {result.Connections} | {result.RequestsPerSecond:F0} | {result.P50Ms:F3} | {result.P99Ms:F3} | {result.Non2xx} | {result.SocketErrors} |");
        }

        text.AppendLine()
            .AppendLine(CultureInfo.InvariantCulture, $"Gateway p50 overhead over direct at {Connections(fewest)}: {overheadMs:F3} ms (target ≤ 0.2 ms: {(overheadMs <= 0.2 ? "met" : "not met")}).")
            .AppendLine(CultureInfo.InvariantCulture, $"Gateway requests/s as a share of nginx's at {Connections(most)}: {share:P0} (target ≥ 60%: {(share >= 0.6 ? "met" : "not met")}).");
        return text.ToString();
    }

    private static string Connections(int count) => count == 1 ? "1 connection" : $"{count} connections";

    private static void RequireTool(string name)
    {
        var found = (Environment.GetEnvironmentVariable("PATH") ?? string.Empty)
            .Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries)
            .Any(directory => File.Exists(Path.Combine(directory, name)));
        if (!found)
        {
            throw new FileNotFoundException($"'{name}' is not on PATH. Install it (Debian: apt-get install -y wrk nginx); scripts/bench.sh does this.");
        }
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    private static string Port(int value) => value.ToString(CultureInfo.InvariantCulture);

    private sealed record Settings(TimeSpan Duration, IReadOnlyList<int> Connections, int Threads, bool Write)
    {
        public static Settings Parse(string[] args)
        {
            var settings = new Settings(TimeSpan.FromSeconds(10), [1, 32], 2, true);
            for (var i = 0; i < args.Length; i++)
            {
                settings = args[i] switch
                {
                    "--duration" => settings with { Duration = TimeSpan.FromSeconds(PositiveInt(args, ++i)) },
                    "--connections" => settings with { Connections = PositiveInts(args, ++i) },
                    "--threads" => settings with { Threads = PositiveInt(args, ++i) },
                    "--no-write" => settings with { Write = false },
                    _ => throw new ArgumentException($"Unknown option '{args[i]}'. Options: --duration SECONDS, --connections N[,M...], --threads N, --no-write."),
                };
            }

            return settings;
        }

        private static int[] PositiveInts(string[] args, int index)
        {
            var values = index < args.Length ? args[index].Split(',') : [];
            var parsed = values.Select(v => int.TryParse(v, NumberStyles.None, CultureInfo.InvariantCulture, out var n) && n > 0 ? n : 0).ToArray();
            return parsed.Length > 0 && parsed.All(n => n > 0)
                ? parsed
                : throw new ArgumentException($"Option '--connections' needs positive whole numbers separated by commas, got '{(index < args.Length ? args[index] : "nothing")}'.");
        }

        private static int PositiveInt(string[] args, int index) =>
            index < args.Length && int.TryParse(args[index], NumberStyles.None, CultureInfo.InvariantCulture, out var value) && value > 0
                ? value
                : throw new ArgumentException($"Option '{args[index - 1]}' needs a positive whole number, got '{(index < args.Length ? args[index] : "nothing")}'.");
    }

    private sealed partial record WrkResult(string Target, int Connections, double RequestsPerSecond, double P50Ms, double P99Ms, long Non2xx, long SocketErrors)
    {
        public static WrkResult Parse(string output)
        {
            var rate = RequestsPerSecondPattern().Match(output);
            var p50 = PercentilePattern("50").Match(output);
            var p99 = PercentilePattern("99").Match(output);
            if (!rate.Success || !p50.Success || !p99.Success)
            {
                throw new InvalidOperationException("The wrk output has no Requests/sec or latency distribution:\n" + output);
            }

            var non2xx = Non2xxPattern().Match(output);
            var errors = SocketErrorsPattern().Match(output);
            var socketErrors = errors.Success ? errors.Groups.Cast<Group>().Skip(1).Sum(g => long.Parse(g.Value, CultureInfo.InvariantCulture)) : 0;
            return new WrkResult(
                string.Empty,
                0,
                double.Parse(rate.Groups[1].Value, CultureInfo.InvariantCulture),
                ToMilliseconds(p50.Groups[1].Value, p50.Groups[2].Value),
                ToMilliseconds(p99.Groups[1].Value, p99.Groups[2].Value),
                non2xx.Success ? long.Parse(non2xx.Groups[1].Value, CultureInfo.InvariantCulture) : 0,
                socketErrors);
        }

        private static Regex PercentilePattern(string percentile) =>
            new($@"^\s*{percentile}%\s+([\d.]+)(us|ms|s)\s*$", RegexOptions.Multiline | RegexOptions.CultureInvariant);

        private static double ToMilliseconds(string value, string unit)
        {
            var number = double.Parse(value, CultureInfo.InvariantCulture);
            return unit switch
            {
                "us" => number / 1000,
                "s" => number * 1000,
                _ => number,
            };
        }

        [GeneratedRegex(@"Requests/sec:\s+([\d.]+)", RegexOptions.CultureInvariant)]
        private static partial Regex RequestsPerSecondPattern();

        [GeneratedRegex(@"Non-2xx or 3xx responses:\s+(\d+)", RegexOptions.CultureInvariant)]
        private static partial Regex Non2xxPattern();

        [GeneratedRegex(@"Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)", RegexOptions.CultureInvariant)]
        private static partial Regex SocketErrorsPattern();
    }

    /// <summary>A server started for the benchmark, stopped (with its process tree) on dispose.</summary>
    private sealed class ChildProcess : IAsyncDisposable
    {
        private readonly Process _process;

        private ChildProcess(Process process) => _process = process;

        public static async Task<ChildProcess> StartAsync(string program, string[] arguments, string requiredFile, string healthUrl, CancellationToken cancellationToken)
        {
            if (program == "dotnet" && !File.Exists(requiredFile))
            {
                throw new FileNotFoundException($"'{requiredFile}' does not exist. Build it first with 'dotnet build -c Release' (scripts/bench.sh does this).", requiredFile);
            }

            var startInfo = new ProcessStartInfo(program) { UseShellExecute = false, RedirectStandardOutput = true, RedirectStandardError = true };
            foreach (var argument in arguments)
            {
                startInfo.ArgumentList.Add(argument);
            }

            // Console logging of every request would measure the terminal, not the server.
            startInfo.Environment["Logging__LogLevel__Default"] = "Warning";
            var process = Process.Start(startInfo) ?? throw new InvalidOperationException($"Starting '{program}' failed.");
            process.OutputDataReceived += (_, _) => { };
            process.ErrorDataReceived += (_, _) => { };
            process.BeginOutputReadLine();
            process.BeginErrorReadLine();
            var child = new ChildProcess(process);

            using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(2) };
            var deadline = Stopwatch.GetTimestamp() + (30 * Stopwatch.Frequency);
            while (Stopwatch.GetTimestamp() < deadline && !process.HasExited)
            {
                try
                {
                    using var response = await http.GetAsync(healthUrl, cancellationToken);
                    if (response.StatusCode == HttpStatusCode.OK)
                    {
                        return child;
                    }
                }
                catch (HttpRequestException)
                {
                    // Not listening yet.
                }

                await Task.Delay(100, cancellationToken);
            }

            await child.DisposeAsync();
            throw new TimeoutException($"'{program} {string.Join(' ', arguments.Take(1))}' did not return 200 from {healthUrl} within 30 s; run it by hand to see its output.");
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
    }
}
