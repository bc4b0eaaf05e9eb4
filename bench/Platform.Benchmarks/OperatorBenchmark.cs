using System.Diagnostics;
using System.Globalization;
using System.Text;
using k8s;
using k8s.Models;
using Microsoft.Extensions.Options;
using Platform.Operator.Api;
using Platform.Operator.Crd;
using Platform.Operator.Database;
using Platform.Operator.Hosting;
using Platform.Testing;
using Platform.Testing.Kubernetes;

namespace Platform.Benchmarks;

/// <summary>
/// <c>operator</c>: reconciles N TrackingServers to Ready with the real operator process against the in-process
/// Kubernetes API test server and the real test PostgreSQL (one schema and role per tenant; storage kind
/// <c>none</c>), then records the wall time and the operator's peak RSS in docs/benchmarks.md.
/// </summary>
public static class OperatorBenchmark
{
    private const string StartMarker = "<!-- operator-benchmark:start -->";
    private const string EndMarker = "<!-- operator-benchmark:end -->";

    /// <summary>
    /// Options: <c>--count N</c> (default 1000), <c>--workers N</c> (default 8), <c>--timeout-seconds N</c> (default 300),
    /// <c>--operator-dll PATH</c> (default: the Release build, else the Debug build, under src/Platform.Operator/bin),
    /// <c>--no-write</c>.
    /// </summary>
    public static async Task<int> RunAsync(string[] args)
    {
        ArgumentNullException.ThrowIfNull(args);
        var count = ReadInt(args, "--count", 1000);
        var workers = ReadInt(args, "--workers", 8);
        var timeout = TimeSpan.FromSeconds(ReadInt(args, "--timeout-seconds", 300));
        var write = !args.Contains("--no-write");
        var operatorDll = ReadOperatorDll(args) ?? FindOperatorDll();

        await using var server = await KubernetesTestServer.StartAsync(new KubernetesTestServerOptions
        {
            ReadyDeploymentsAutomatically = true,
            WatchHistoryCapacity = count * 40,
        });
        server.Create("apiextensions.k8s.io", "v1", "customresourcedefinitions", null,
            System.Text.Json.Nodes.JsonNode.Parse(KubernetesJson.Serialize(CrdGenerator.Build()))!.AsObject());
        var database = await TestPostgres.CreateDatabaseAsync("operator_bench");
        var names = Enumerable.Range(0, count).Select(i => $"bench-{Guid.NewGuid().ToString("N")[..6]}-{i}").ToList();

        var startup = Stopwatch.StartNew();
        using var process = StartOperator(operatorDll, server.Url, database, workers);
        var peakRss = new PeakRssSampler(process.Id);
        try
        {
            // Start the clock once the operator holds the Lease, so process start-up and JIT are not counted as reconcile time.
            while (server.TryGet("coordination.k8s.io", "v1", "leases", "default", "labplatform-operator")?["spec"]?["holderIdentity"] is null)
            {
                if (process.HasExited || startup.Elapsed > TimeSpan.FromSeconds(60))
                {
                    Console.Error.WriteLine("The operator did not take the leader Lease within 60 s; check its log above.");
                    return 1;
                }

                await Task.Delay(50);
            }

            var leaseTaken = startup.Elapsed;
            using var client = server.CreateClient();
            var stopwatch = Stopwatch.StartNew();
            await Parallel.ForEachAsync(names, new ParallelOptions { MaxDegreeOfParallelism = 16 }, async (name, ct) =>
            {
                var body = new TrackingServer
                {
                    Metadata = new V1ObjectMeta { Name = name, NamespaceProperty = "default" },
                    Spec = new TrackingServerSpec { Owner = $"{name}@example.org", DeletionPolicy = DeletionPolicy.Delete },
                };
                await client.CustomObjects.CreateNamespacedCustomObjectAsync(body, TrackingServerApi.Group, TrackingServerApi.Version, "default", TrackingServerApi.Plural, cancellationToken: ct);
            });
            var created = stopwatch.Elapsed;

            var ready = 0;
            while (ready < count)
            {
                if (stopwatch.Elapsed > timeout)
                {
                    Console.Error.WriteLine($"Timed out after {timeout.TotalSeconds} s with {ready} of {count} TrackingServers Ready; raise --timeout-seconds or check the operator's log above.");
                    return 1;
                }

                if (process.HasExited)
                {
                    Console.Error.WriteLine($"The operator process exited with code {process.ExitCode} before all TrackingServers were Ready.");
                    return 1;
                }

                await Task.Delay(200);
                ready = server.List(TrackingServerApi.Group, TrackingServerApi.Version, TrackingServerApi.Plural, "default").Count(IsReady);
                peakRss.Sample();
            }

            var elapsed = stopwatch.Elapsed;
            peakRss.Sample();
            var result = new Result(count, workers, Path.GetRelativePath(RepositoryPaths.Root, operatorDll), leaseTaken, created, elapsed, peakRss.PeakBytes);
            Console.WriteLine(result.ToMarkdown());
            if (write)
            {
                WriteSection(result.ToMarkdown());
            }

            return 0;
        }
        finally
        {
            if (!process.HasExited)
            {
                process.Kill(entireProcessTree: true);
                await process.WaitForExitAsync();
            }

            await DropTenantsAsync(database, names);
        }
    }

    private static Process StartOperator(string dll, string kubernetesUrl, string database, int workers)
    {
        var start = new ProcessStartInfo("dotnet") { UseShellExecute = false };
        start.ArgumentList.Add(dll);
        start.Environment["Operator__KubernetesUrl"] = kubernetesUrl;
        start.Environment["Operator__AdminConnectionString"] = database;
        start.Environment["Operator__StorageKind"] = "none";
        start.Environment["Operator__Bucket"] = "lab-artifacts";
        start.Environment["Operator__GatewayBaseUrl"] = "https://lab.example.org";
        start.Environment["Operator__TrackingImage"] = "ghcr.io/labplatform/tracking:bench";
        start.Environment["Operator__Workers"] = workers.ToString(CultureInfo.InvariantCulture);
        start.Environment["Operator__HealthAddress"] = "127.0.0.1";
        start.Environment["Operator__HealthPort"] = "0";
        start.Environment["Logging__LogLevel__Default"] = "Warning";
        return Process.Start(start) ?? throw new InvalidOperationException($"Starting 'dotnet {dll}' failed.");
    }

    private static async Task DropTenantsAsync(string database, IEnumerable<string> names)
    {
        await using var tenants = new PostgresTenantDatabase(Options.Create(new OperatorOptions { AdminConnectionString = database }));
        await Parallel.ForEachAsync(names, new ParallelOptions { MaxDegreeOfParallelism = 8 }, async (name, ct) =>
            await tenants.DropAsync(TenantDatabaseNames.ForTenant(name), ct));
    }

    private static bool IsReady(System.Text.Json.Nodes.JsonObject item) =>
        item["status"]?["conditions"] is System.Text.Json.Nodes.JsonArray conditions &&
        conditions.Any(c => (string?)c?["type"] == "Ready" && (string?)c?["status"] == "True");

    // Release first: "dotnet run -c Release" rebuilds it as a dependency, while an incremental build leaves its
    // timestamp alone, so a newer Debug build from "dotnet test" must not win.
    private static string FindOperatorDll()
    {
        var candidates = new[] { "Release", "Debug" }
            .Select(c => Path.Combine(RepositoryPaths.Root, "src", "Platform.Operator", "bin", c, "net10.0", "Platform.Operator.dll"))
            .Where(File.Exists)
            .ToList();
        return candidates.FirstOrDefault()
            ?? throw new InvalidOperationException("Platform.Operator.dll not found under src/Platform.Operator/bin; run 'dotnet build src/Platform.Operator' first.");
    }

    // A published build (for example with ReadyToRun) lives outside bin/, so it is measured by naming it.
    private static string? ReadOperatorDll(string[] args)
    {
        var index = Array.IndexOf(args, "--operator-dll");
        if (index < 0)
        {
            return null;
        }

        if (index + 1 >= args.Length || !File.Exists(args[index + 1]))
        {
            throw new ArgumentException("Option --operator-dll needs the path of an existing Platform.Operator.dll, for example '--operator-dll publish/Platform.Operator.dll'.");
        }

        return Path.GetFullPath(args[index + 1]);
    }

    private static int ReadInt(string[] args, string name, int fallback)
    {
        var index = Array.IndexOf(args, name);
        if (index < 0)
        {
            return fallback;
        }

        if (index + 1 >= args.Length || !int.TryParse(args[index + 1], NumberStyles.None, CultureInfo.InvariantCulture, out var value) || value < 1)
        {
            throw new ArgumentException($"Option {name} needs a positive whole number, for example '{name} {fallback}'.");
        }

        return value;
    }

    private static void WriteSection(string section)
    {
        var path = Path.Combine(RepositoryPaths.Root, "docs", "benchmarks.md");
        var text = File.Exists(path) ? File.ReadAllText(path) : "# Benchmarks\n";
        var block = $"{StartMarker}\n{section}{EndMarker}\n";
        var start = text.IndexOf(StartMarker, StringComparison.Ordinal);
        var end = text.IndexOf(EndMarker, StringComparison.Ordinal);
        if (start >= 0 && end > start)
        {
            var rest = text[(end + EndMarker.Length)..].TrimStart('\n');
            text = text[..start] + block + (rest.Length > 0 ? "\n" + rest : "");
        }
        else
        {
            text = text.TrimEnd('\n') + "\n\n" + block;
        }
        File.WriteAllText(path, text);
    }

    private sealed record Result(int Count, int Workers, string OperatorDll, TimeSpan LeaseTaken, TimeSpan Created, TimeSpan Elapsed, long PeakRssBytes)
    {
        public string ToMarkdown()
        {
            var builder = new StringBuilder();
            builder.AppendLine("## Operator (`operator`)");
            builder.AppendLine();
            builder.AppendLine("- Command: `Platform.Benchmarks operator`");
            builder.AppendLine(CultureInfo.InvariantCulture, $"- Operator build: `{OperatorDll}`");
            builder.AppendLine(CultureInfo.InvariantCulture, $"- Date: {DateTime.UtcNow:yyyy-MM-dd HH:mm} UTC");
            builder.AppendLine(CultureInfo.InvariantCulture, $"- Machine: {Environment.ProcessorCount} CPUs, {System.Runtime.InteropServices.RuntimeInformation.OSDescription}, .NET {Environment.Version}");
            builder.AppendLine("- Method: the operator runs as its own process (`Platform.Operator.dll`, leader election on) against the in-process Kubernetes API test server, which marks each Deployment ready as soon as it is written. Each TrackingServer gets a real schema and LOGIN role on the test PostgreSQL (same machine); storage kind is `none`. The clock starts when the operator holds the leader Lease, just before the first create, and stops when every TrackingServer reports Ready=True. Peak RSS is the operator process's VmHWM from /proc.");
            builder.AppendLine(CultureInfo.InvariantCulture, $"- Load average (1, 5, 15 min) when the run ended: {LoadAverage()}; a value above the CPU count means other processes shared the CPUs.");
            builder.AppendLine("- Targets: 30 s and 80 MB.");
            builder.AppendLine();
            builder.AppendLine("| TrackingServers | workers | start to Lease held (s) | all created (s) | all Ready (s) | operator peak RSS (MB) |");
            builder.AppendLine("| ---: | ---: | ---: | ---: | ---: | ---: |");
            builder.AppendLine(CultureInfo.InvariantCulture, $"| {Count} | {Workers} | {LeaseTaken.TotalSeconds:F1} | {Created.TotalSeconds:F1} | {Elapsed.TotalSeconds:F1} | {PeakRssBytes / 1024.0 / 1024.0:F1} |");
            builder.AppendLine();
            return builder.ToString();
        }
    }

    private static string LoadAverage()
    {
        try
        {
            return string.Join(", ", File.ReadAllText("/proc/loadavg").Split(' ')[..3]);
        }
        catch (IOException)
        {
            return "unknown";
        }
    }

    // VmHWM is the kernel's own high-water mark of resident memory, so a late sample still returns the peak.
    private sealed class PeakRssSampler(int processId)
    {
        public long PeakBytes { get; private set; }

        public void Sample()
        {
            try
            {
                foreach (var line in File.ReadLines($"/proc/{processId}/status"))
                {
                    if (line.StartsWith("VmHWM:", StringComparison.Ordinal))
                    {
                        var kilobytes = long.Parse(line["VmHWM:".Length..].Trim().Split(' ')[0], CultureInfo.InvariantCulture);
                        PeakBytes = Math.Max(PeakBytes, kilobytes * 1024);
                    }
                }
            }
            catch (IOException)
            {
                // The process ended between samples, so the last reading is kept.
            }
        }
    }
}
