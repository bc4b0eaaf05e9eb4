using System.CommandLine;
using System.Diagnostics;
using System.Globalization;
using System.Net.Http.Headers;
using System.Text;
using Platform.Testing.Gcs;

namespace Platform.Benchmarks.Artifacts;

/// <summary>
/// <c>artifacts</c>: uploads and downloads one large file through the MLflow artifact endpoints for each
/// store (local folder, and GCS through the test server), measuring throughput and the server process's
/// memory growth, then writes a section of <c>docs/benchmarks.md</c>. With <c>--serve</c> it is the
/// measured host instead, which the benchmark starts as its child process.
/// </summary>
internal sealed class ArtifactsBenchmark : IBenchmarkCommand
{
    private const string SectionName = "artifacts-benchmark";
    private const string Bucket = "bench-artifacts";
    private const string RunRoot = "1/0123456789abcdef/artifacts";
    private const long MiB = 1024 * 1024;

    public Command Create()
    {
        var size = PositiveOption("--size-mib", "Size of the transferred file, in MiB.", 1024);
        var stores = new Option<string[]>("--stores")
        {
            Description = "Stores to measure: local, gcs or both.",
            DefaultValueFactory = _ => ["local", "gcs"],
            AllowMultipleArgumentsPerToken = true,
        };
        stores.AcceptOnlyFromAmong("local", "gcs");
        var chunk = PositiveOption("--gcs-chunk-kib", "GCS resumable-upload chunk size, in KiB; a multiple of 256.", 8192);
        var maxGrowth = PositiveOption("--max-growth-mib", "Allowed growth of the server's resident memory during a transfer, in MiB; above it the command exits with 1.", 64);
        var output = new Option<string>("--output")
        {
            Description = "Markdown file whose artifacts section is replaced with the results; default docs/benchmarks.md. Use '-' to write nothing.",
        };
        var serve = new Option<string>("--serve")
        {
            Description = "Run as the measured artifact host for this destination (used by the benchmark itself).",
            Hidden = true,
        };
        var port = new Option<int>("--port") { Description = "Port of the --serve host on 127.0.0.1.", Hidden = true };
        var gcsBaseUri = new Option<string>("--gcs-base-uri") { Description = "GCS JSON API endpoint of the --serve host.", Hidden = true };

        var command = new Command("artifacts", "Benchmark artifact upload and download through the MLflow artifact proxy (local folder and GCS stores).");
        foreach (var option in new Option[] { size, stores, chunk, maxGrowth, output, serve, port, gcsBaseUri })
        {
            command.Options.Add(option);
        }

        command.SetAction(async (parseResult, cancellationToken) =>
        {
            var chunkSize = parseResult.GetValue(chunk) * 1024;
            if (parseResult.GetValue(serve) is { } destination)
            {
                return await ArtifactsHost.RunAsync(parseResult.GetValue(port), destination, parseResult.GetValue(gcsBaseUri), chunkSize, cancellationToken);
            }

            var outputPath = parseResult.GetValue(output);
            var settings = new Settings(
                parseResult.GetValue(size) * MiB,
                [.. parseResult.GetValue(stores)!.Distinct(StringComparer.Ordinal)],
                chunkSize,
                parseResult.GetValue(maxGrowth) * MiB,
                outputPath == "-" ? null : outputPath ?? Path.Combine(RepositoryRoot.Find(), "docs", "benchmarks.md"));
            var commandLine = "Platform.Benchmarks " + string.Join(' ', parseResult.Tokens.Select(t => t.Value));
            return await RunAsync(settings, commandLine, cancellationToken);
        });
        return command;
    }

    private static async Task<int> RunAsync(Settings settings, string commandLine, CancellationToken cancellationToken)
    {
        var machine = MachineInfo.Current();
        Console.WriteLine($"Artifacts benchmark on {machine}");
        var results = new List<StoreResult>();
        foreach (var store in settings.Stores)
        {
            results.Add(await RunStoreAsync(store, settings, cancellationToken));
        }

        var report = FormatReport(results, settings, machine, DateTimeOffset.UtcNow, commandLine);
        Console.WriteLine();
        Console.WriteLine(report);
        if (settings.OutputPath is not null)
        {
            await BenchmarksDocument.WriteSectionAsync(settings.OutputPath, SectionName, report, cancellationToken);
            Console.WriteLine($"Wrote the results to {settings.OutputPath}");
        }

        return results.All(r => r.Verified && r.MaxGrowth <= settings.MaxGrowthBytes) ? 0 : 1;
    }

    private static async Task<StoreResult> RunStoreAsync(string store, Settings settings, CancellationToken cancellationToken)
    {
        var folder = Directory.CreateTempSubdirectory("labplatform-artifacts-bench-").FullName;
        GcsTestServer? gcs = null;
        try
        {
            string destination;
            if (store == "gcs")
            {
                // The GCS test server runs in this process, so only the artifact host's memory is measured.
                gcs = await GcsTestServer.StartAsync([Bucket], Path.Combine(folder, "gcs"), cancellationToken);
                destination = $"gs://{Bucket}/tenants/bench";
            }
            else
            {
                destination = Path.Combine(folder, "artifacts");
            }

            Console.WriteLine($"[{store}] starting the artifact host for {destination}");
            await using var host = await ArtifactsHostProcess.StartAsync(destination, gcs?.BaseUri, settings.GcsChunkSize, cancellationToken);
            using var http = new HttpClient { BaseAddress = host.BaseUri, Timeout = Timeout.InfiniteTimeSpan };
            var startRss = ProcessMemorySampler.CurrentRss(host.Process);

            // An unrecorded 16 MiB round trip lets the host JIT-compile and size its pools first.
            await UploadAsync(http, "warmup.bin", 16 * MiB, cancellationToken);
            await DownloadAsync(http, "warmup.bin", 16 * MiB, cancellationToken);
            await Task.Delay(TimeSpan.FromSeconds(1), cancellationToken);

            var baseline = ProcessMemorySampler.CurrentRss(host.Process);
            Console.WriteLine($"[{store}] uploading {settings.SizeBytes / MiB} MiB (server RSS {baseline / MiB} MiB)");
            var upload = await MeasureAsync(host, () => UploadAsync(http, "large.bin", settings.SizeBytes, cancellationToken));

            Console.WriteLine($"[{store}] downloading {settings.SizeBytes / MiB} MiB");
            var download = await MeasureAsync(host, () => DownloadAsync(http, "large.bin", settings.SizeBytes, cancellationToken));

            using var delete = await http.DeleteAsync($"api/2.0/mlflow-artifacts/artifacts/{RunRoot}/large.bin", cancellationToken);
            var result = new StoreResult(store, settings.SizeBytes, startRss, baseline, upload, download, download.Verified);
            Console.WriteLine(
                $"[{store}] upload {Rate(settings.SizeBytes, upload.Seconds)} MiB/s, download {Rate(settings.SizeBytes, download.Seconds)} MiB/s, " +
                $"max RSS growth {result.MaxGrowth / (double)MiB:0.0} MiB");
            return result;
        }
        finally
        {
            if (gcs is not null)
            {
                await gcs.DisposeAsync();
            }

            Directory.Delete(folder, recursive: true);
        }
    }

    private static async Task<Transfer> MeasureAsync(ArtifactsHostProcess host, Func<Task<bool>> transfer)
    {
        var before = ProcessMemorySampler.CurrentRss(host.Process);
        await using var sampler = ProcessMemorySampler.Start(host.Process);
        var started = Stopwatch.GetTimestamp();
        var verified = await transfer();
        var seconds = Stopwatch.GetElapsedTime(started).TotalSeconds;
        var peak = await sampler.StopAsync();
        return new Transfer(seconds, before, peak, verified);
    }

    private static async Task<bool> UploadAsync(HttpClient http, string name, long size, CancellationToken cancellationToken)
    {
        using var content = new StreamContent(new PatternStream(size, seed: 7), 1024 * 1024);
        content.Headers.ContentLength = size;
        content.Headers.ContentType = new MediaTypeHeaderValue("application/octet-stream");
        using var response = await http.PutAsync($"api/2.0/mlflow-artifacts/artifacts/{RunRoot}/{name}", content, cancellationToken);
        if (!response.IsSuccessStatusCode)
        {
            throw new InvalidOperationException($"Upload of {name} failed with {(int)response.StatusCode}: {await response.Content.ReadAsStringAsync(cancellationToken)}");
        }

        return true;
    }

    // Reads the body in 1 MiB pieces and compares each with the pattern, so the check costs no extra memory.
    private static async Task<bool> DownloadAsync(HttpClient http, string name, long size, CancellationToken cancellationToken)
    {
        using var response = await http.GetAsync($"api/2.0/mlflow-artifacts/artifacts/{RunRoot}/{name}", HttpCompletionOption.ResponseHeadersRead, cancellationToken);
        if (!response.IsSuccessStatusCode)
        {
            throw new InvalidOperationException($"Download of {name} failed with {(int)response.StatusCode}: {await response.Content.ReadAsStringAsync(cancellationToken)}");
        }

        var expected = new PatternStream(size, seed: 7);
        await using var body = await response.Content.ReadAsStreamAsync(cancellationToken);
        var buffer = new byte[1024 * 1024];
        long received = 0;
        var matches = true;
        int read;
        while ((read = await body.ReadAsync(buffer, cancellationToken)) > 0)
        {
            matches &= expected.Matches(received, buffer.AsSpan(0, read));
            received += read;
        }

        return matches && received == size;
    }

    private static string FormatReport(IReadOnlyList<StoreResult> results, Settings settings, MachineInfo machine, DateTimeOffset date, string commandLine)
    {
        var text = new StringBuilder();
        text.AppendLine("## Artifact proxy (`artifacts`)");
        text.AppendLine();
        text.AppendLine(CultureInfo.InvariantCulture, $"- Command: `{commandLine}`");
        text.AppendLine(CultureInfo.InvariantCulture, $"- Date: {date:yyyy-MM-dd HH:mm} UTC");
        text.AppendLine(CultureInfo.InvariantCulture, $"- Machine: {machine}");
        text.AppendLine(
            string.Create(CultureInfo.InvariantCulture, $"- Method: one {settings.SizeBytes / MiB} MiB file is sent with `PUT /api/2.0/mlflow-artifacts/artifacts/...` and read back with `GET`, ") +
            "both streamed by `HttpClient` and checked byte for byte. The server is a child process hosting only `MapMlflowArtifacts()` " +
            "(Server GC, as in ASP.NET Core services). Its resident memory (RSS) is sampled every 20 ms and read from the kernel's peak counter (VmHWM). " +
            "Growth is the peak during a transfer minus the RSS just before it, after an unrecorded 16 MiB warm-up round trip. " +
            "\"Peak minus start\" also counts what the warm-up allocated (JIT code, pools, one upload chunk buffer). " +
            string.Create(CultureInfo.InvariantCulture, $"The GCS store talks to the GCS test server on 127.0.0.1 in the benchmark process, with {settings.GcsChunkSize / 1024} KiB upload chunks. ") +
            "Client, server and storage share the machine's CPUs and disk.");
        text.AppendLine();
        text.AppendLine("| store | size MiB | upload MiB/s | download MiB/s | RSS at start MiB | RSS after warm-up MiB | upload growth MiB | download growth MiB | peak minus start MiB | bytes verified |");
        text.AppendLine("| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | --- |");
        foreach (var result in results)
        {
            text.AppendLine(CultureInfo.InvariantCulture,
                $"| {result.Store} | {result.SizeBytes / MiB} | {Rate(result.SizeBytes, result.Upload.Seconds)} | {Rate(result.SizeBytes, result.Download.Seconds)} | " +
                $"{result.StartRss / (double)MiB:0.0} | {result.BaselineRss / (double)MiB:0.0} | {result.Upload.Growth / (double)MiB:0.0} | {result.Download.Growth / (double)MiB:0.0} | " +
                $"{result.GrowthSinceStart / (double)MiB:0.0} | {(result.Verified ? "yes" : "NO")} |");
        }

        text.AppendLine();
        var over = results.Where(r => r.MaxGrowth > settings.MaxGrowthBytes).Select(r => r.Store).ToList();
        text.AppendLine(over.Count == 0
            ? string.Create(CultureInfo.InvariantCulture, $"Every transfer stayed under the {settings.MaxGrowthBytes / MiB} MiB growth limit.")
            : string.Create(CultureInfo.InvariantCulture, $"Over the {settings.MaxGrowthBytes / MiB} MiB growth limit: {string.Join(", ", over)}."));
        return text.ToString();
    }

    private static string Rate(long bytes, double seconds) => (bytes / (double)MiB / seconds).ToString("0.0", CultureInfo.InvariantCulture);

    private static Option<int> PositiveOption(string name, string description, int defaultValue)
    {
        var option = new Option<int>(name) { Description = description, DefaultValueFactory = _ => defaultValue };
        option.Validators.Add(result =>
        {
            if (result.GetValueOrDefault<int>() < 1)
            {
                result.AddError($"{name} must be at least 1; got {result.GetValueOrDefault<int>()}.");
            }
        });
        return option;
    }

    private sealed record Settings(long SizeBytes, IReadOnlyList<string> Stores, int GcsChunkSize, long MaxGrowthBytes, string? OutputPath);

    private sealed record Transfer(double Seconds, long RssBefore, long PeakRss, bool Verified)
    {
        public long Growth => Math.Max(0, PeakRss - RssBefore);
    }

    private sealed record StoreResult(string Store, long SizeBytes, long StartRss, long BaselineRss, Transfer Upload, Transfer Download, bool Verified)
    {
        public long MaxGrowth => Math.Max(Upload.Growth, Download.Growth);

        /// <summary>Highest RSS of either transfer minus the RSS right after start-up, before the warm-up.</summary>
        public long GrowthSinceStart => Math.Max(0, Math.Max(Upload.PeakRss, Download.PeakRss) - StartRss);
    }
}
