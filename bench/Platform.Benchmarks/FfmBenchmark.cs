using System.Diagnostics;
using System.Globalization;
using System.Runtime.Intrinsics;
using System.Text;
using Platform.Models.Ffm.Data;
using Platform.Models.Ffm.Kernels;
using Platform.Models.Ffm.Model;
using Platform.Models.Ffm.Prediction;
using Platform.Models.Ffm.Synthetic;
using System.Net;
using System.Net.Sockets;
using Platform.Models.Ffm.Training;
using Platform.Tracking.Client;
using Platform.Training;

namespace Platform.Benchmarks;

/// <summary>
/// The <c>ffm</c> benchmark: FFM training seconds per epoch on Criteo-shaped synthetic data (k = 4,
/// 1 and 2 threads, Zipf and uniform ids), text parsing speed, and prediction rows per second.
/// Prints Markdown tables for <c>docs/benchmarks.md</c>.
/// </summary>
public static class FfmBenchmark
{
    // Reference figures of libffm 1.21 (ycjuan/libffm af3ae37, SSE build, -O3 -march=native), measured
    // by the project on a 2-vCPU AMD EPYC VM: k = 4, one thread, 200,000 rows x 39 fields, and the
    // text-to-binary conversion of a 90 MB file. The synthetic generators differ, see the benchmark page.
    private const double LibffmZipfSecondsPer200k = 1.0;
    private const double LibffmUniformSecondsPer200k = 3.5;
    private const double LibffmConversionSeconds = 9.7;
    private const double LibffmConversionMegabytes = 90;

    /// <summary>
    /// Runs the benchmark. Options: <c>--rows N</c> training rows (default 1,000,000),
    /// <c>--epochs N</c> (default 3), <c>--parse-rows N</c> rows of the parsing and prediction file
    /// (default 200,000), <c>--threads a,b</c> (default 1,2), <c>--work-dir PATH</c> for the generated
    /// files (default a folder under the system temp folder, reused between runs), <c>--sections</c>
    /// (default parse,train,predict,inference), <c>--zipf-exponent S</c> the exponent of the Zipf ids
    /// (default 1.0).
    /// </summary>
    public static async Task<int> RunAsync(string[] args)
    {
        BenchmarkArguments arguments;
        try
        {
            arguments = BenchmarkArguments.Parse(args);
        }
        catch (ArgumentException error)
        {
            await Console.Error.WriteLineAsync($"ffm benchmark: {error.Message}");
            await Console.Error.WriteLineAsync("usage: ffm [--rows N] [--epochs N] [--parse-rows N] [--threads 1,2] [--work-dir PATH] [--sections parse,train,predict,inference] [--zipf-exponent S]");
            return 2;
        }

        Directory.CreateDirectory(arguments.WorkDirectory);
        var report = new StringBuilder();
        report.AppendLine(Environment(arguments, args));
        if (arguments.Sections.Contains("parse"))
        {
            report.AppendLine(await ParsingAsync(arguments));
        }

        if (arguments.Sections.Contains("train"))
        {
            report.AppendLine(await TrainingAsync(arguments));
        }

        if (arguments.Sections.Contains("predict"))
        {
            report.AppendLine(await PredictionAsync(arguments));
        }

        if (arguments.Sections.Contains("inference"))
        {
            report.AppendLine(await InferenceLatencyAsync(arguments));
        }

        Console.WriteLine(report.ToString());
        return 0;
    }

    private static string Environment(BenchmarkArguments arguments, string[] args)
    {
        var cpu = File.Exists("/proc/cpuinfo")
            ? File.ReadLines("/proc/cpuinfo").FirstOrDefault(line => line.StartsWith("model name", StringComparison.Ordinal))?.Split(':', 2)[1].Trim()
            : null;
        var lines = new StringBuilder();
        lines.AppendLine(CultureInfo.InvariantCulture, $"Command: `ffm {string.Join(' ', args)}`; date {DateTime.UtcNow:yyyy-MM-dd HH:mm} UTC.");
        lines.AppendLine(CultureInfo.InvariantCulture, $"Machine: {System.Environment.ProcessorCount} logical processors (`nproc`), CPU {cpu ?? "unknown"}, .NET {System.Environment.Version}.");
        lines.AppendLine(CultureInfo.InvariantCulture, $"Vector512 accelerated: {Vector512.IsHardwareAccelerated}; Vector256 accelerated: {Vector256.IsHardwareAccelerated}; kernel path used: {FfmSimd.Resolve(FfmSimdPath.Auto)}.");
        lines.AppendLine(CultureInfo.InvariantCulture, $"Training rows: {arguments.Rows:N0}; epochs per run: {arguments.Epochs}; parsing and prediction rows: {arguments.ParseRows:N0}; Zipf exponent: {arguments.ZipfExponent}.");
        return lines.ToString();
    }

    private static async Task<string> ParsingAsync(BenchmarkArguments arguments)
    {
        var path = await EnsureDataAsync(arguments, SyntheticIdDistribution.Zipf, arguments.ParseRows);
        var bytes = await File.ReadAllBytesAsync(path);
        var megabytes = bytes.Length / 1e6;
        var libffmSeconds = LibffmConversionSeconds * megabytes / LibffmConversionMegabytes;
        var table = new StringBuilder();
        table.AppendLine(CultureInfo.InvariantCulture, $"Parsing a {megabytes:F1} MB, {arguments.ParseRows:N0}-row libffm text file held in memory (best of 3). libffm's text-to-binary conversion: {LibffmConversionSeconds} s for {LibffmConversionMegabytes} MB, scaled to {libffmSeconds:F2} s for this size.");
        table.AppendLine();
        table.AppendLine("| parser | seconds | MB/s | rows/s | speed-up vs libffm |");
        table.AppendLine("| --- | ---: | ---: | ---: | ---: |");
        foreach (var threads in new[] { 1, System.Environment.ProcessorCount })
        {
            var seconds = BestOf(3, () => FfmTextParser.Parse(bytes, "bench", new FfmParseOptions { DegreeOfParallelism = threads }));
            table.AppendLine(CultureInfo.InvariantCulture, $"| text, {threads} thread(s) | {seconds:F3} | {megabytes / seconds:F0} | {arguments.ParseRows / seconds:N0} | {libffmSeconds / seconds:F1}x |");
        }

        var cachePath = path + ".ffmcache";
        await FfmBinaryCache.LoadAsync(path, cachePath, null, CancellationToken.None);
        var source = new FileInfo(path);
        var cacheSeconds = BestOf(3, () => FfmBinaryCache.TryRead(cachePath, source) ?? throw new InvalidOperationException($"Reading the binary cache {cachePath} failed right after it was written."));
        table.AppendLine(CultureInfo.InvariantCulture, $"| binary cache read | {cacheSeconds:F3} | {megabytes / cacheSeconds:F0} (text MB) | {arguments.ParseRows / cacheSeconds:N0} | {libffmSeconds / cacheSeconds:F1}x |");
        return table.ToString();
    }

    private static async Task<string> TrainingAsync(BenchmarkArguments arguments)
    {
        var table = new StringBuilder();
        table.AppendLine(CultureInfo.InvariantCulture, $"Training, k = 4, other options at libffm's defaults, no validation set. Seconds per epoch are the median of {arguments.Epochs} epochs; \"per 200k rows\" scales them linearly to libffm's 200,000-row figure. CPU seconds are the process's processor time per epoch (median), which other load on the machine inflates less than wall time.");
        table.AppendLine();
        table.AppendLine("| ids | n | threads | s/epoch | CPU s/epoch | s/epoch per 200k rows | libffm 1 thread, per 200k rows | ratio |");
        table.AppendLine("| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: |");
        foreach (var distribution in new[] { SyntheticIdDistribution.Zipf, SyntheticIdDistribution.Uniform })
        {
            var path = await EnsureDataAsync(arguments, distribution, arguments.Rows);
            var problem = await FfmTextParser.ParseFileAsync(path, null, CancellationToken.None);
            var reference = distribution == SyntheticIdDistribution.Zipf ? LibffmZipfSecondsPer200k : LibffmUniformSecondsPer200k;
            foreach (var threads in arguments.Threads)
            {
                var options = new FfmTrainingOptions { Epochs = arguments.Epochs, Threads = threads };
                var processorTime = new ProcessorTimeCallback();
                var result = await new FfmTrainer(options).TrainAsync(new FfmTrainingData(problem), [processorTime], CancellationToken.None);
                result.Model.Dispose();
                var seconds = Median(result.Run.History.Select(epoch => epoch.Duration.TotalSeconds));
                var per200k = seconds * 200_000 / problem.RowCount;
                table.AppendLine(CultureInfo.InvariantCulture, $"| {distribution} | {problem.FeatureCount:N0} | {threads} | {seconds:F2} | {Median(processorTime.Seconds):F2} | {per200k:F2} | {reference:F1} | {per200k / reference:F2}x |");
            }
        }

        return table.ToString();
    }

    private static async Task<string> PredictionAsync(BenchmarkArguments arguments)
    {
        var table = new StringBuilder();
        var threads = Math.Min(2, System.Environment.ProcessorCount);
        table.AppendLine(CultureInfo.InvariantCulture, $"Prediction of parsed rows with {threads} threads (best of 3), probabilities written to an array; the model has libffm's initial weights (speed does not depend on the values).");
        table.AppendLine();
        table.AppendLine("| data | rows | fields per row | n | seconds | rows/s |");
        table.AppendLine("| --- | ---: | ---: | ---: | ---: | ---: |");

        var zipf = await FfmTextParser.ParseFileAsync(await EnsureDataAsync(arguments, SyntheticIdDistribution.Zipf, arguments.ParseRows), null, CancellationToken.None);
        table.AppendLine(PredictionRow("synthetic Zipf", zipf, threads));

        var frappePath = FindSample("frappe.test.ffm");
        if (frappePath is not null)
        {
            var frappe = await FfmTextParser.ParseFileAsync(frappePath, null, CancellationToken.None);
            table.AppendLine(PredictionRow("Frappe test set", frappe, threads));
        }

        return table.ToString();
    }

    private static string PredictionRow(string name, FfmProblem problem, int threads)
    {
        using var model = FfmModel.CreateInitialized(problem.FeatureCount, problem.FieldCount, 4, normalization: true);
        var probabilities = new float[problem.RowCount];
        var seconds = BestOf(3, () => FfmBatchPredictor.Predict(model, problem, probabilities, threads));
        var fields = (double)problem.Nodes.Length / problem.RowCount;
        return string.Create(CultureInfo.InvariantCulture, $"| {name} | {problem.RowCount:N0} | {fields:F0} | {problem.FeatureCount:N0} | {seconds:F3} | {problem.RowCount / seconds:N0} |");
    }

    /// <summary>
    /// Measures the inference worker's latency for 100-row text requests over loopback. The tracking
    /// server and the inference worker run as child processes from their newest Release or Debug build,
    /// and the served model is a Frappe model trained here for one epoch and registered through the SDK.
    /// </summary>
    private static async Task<string> InferenceLatencyAsync(BenchmarkArguments arguments)
    {
        var frappePath = FindSample("frappe.test.ffm");
        var trackingProgram = FindBuiltProgram("Platform.Tracking");
        var inferenceProgram = FindBuiltProgram("Platform.Workers.Inference");
        if (frappePath is null || trackingProgram is null || inferenceProgram is null)
        {
            return "Inference latency: skipped; it needs data/samples/frappe.test.ffm and builds of src/Platform.Tracking and src/Platform.Workers.Inference.";
        }

        var folder = Path.Combine(arguments.WorkDirectory, "inference-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(folder);
        var trackingUri = new Uri($"http://127.0.0.1:{FreePort()}/");
        using var tracking = StartProgram(trackingProgram,
        [
            "--host", "127.0.0.1", "--port", trackingUri.Port.ToString(CultureInfo.InvariantCulture),
            "--backend-store-uri", "sqlite:///" + Path.Combine(folder, "mlflow.db"), "--artifacts-destination", Path.Combine(folder, "artifacts"),
        ]);
        try
        {
            using var http = new HttpClient();
            await WaitForSuccessAsync(http, new Uri(trackingUri, "healthz"));
            using var client = new TrackingClient(new TrackingClientOptions { TrackingUri = trackingUri, ModelCacheDirectory = Path.Combine(folder, "cache") });
            await RegisterFrappeModelAsync(client, frappePath, folder);

            var inferenceUri = new Uri($"http://127.0.0.1:{FreePort()}/");
            using var inference = StartProgram(inferenceProgram,
            [
                "--urls", inferenceUri.ToString().TrimEnd('/'), "--model", "models:/frappe-ffm@production",
                "--Tracking:TrackingUri", trackingUri.ToString(), "--Tracking:ModelCacheDirectory", Path.Combine(folder, "worker-cache"),
                "--Logging:LogLevel:Default", "Warning",
            ]);
            try
            {
                await WaitForSuccessAsync(http, new Uri(inferenceUri, "readyz"));
                return await MeasureLatencyAsync(http, new Uri(inferenceUri, "v1/models/frappe-ffm/predict"), frappePath);
            }
            finally
            {
                StopProgram(inference);
            }
        }
        finally
        {
            StopProgram(tracking);
        }
    }

    private static async Task RegisterFrappeModelAsync(TrackingClient client, string frappePath, string folder)
    {
        var problem = await FfmTextParser.ParseFileAsync(frappePath, null, CancellationToken.None);
        var result = await new FfmTrainer(new FfmTrainingOptions { Epochs = 1 }).TrainAsync(new FfmTrainingData(problem), null, CancellationToken.None);
        using var model = result.Model;
        var modelFolder = Path.Combine(folder, "model");
        Directory.CreateDirectory(modelFolder);
        await FfmModelFile.SaveAsync(model, Path.Combine(modelFolder, "model.ffm"), CancellationToken.None);

        var experimentId = await client.Experiments.GetOrCreateAsync("ffm-benchmark");
        string runId;
        await using (var run = await client.StartRunAsync(experimentId, "frappe-1-epoch"))
        {
            await run.LogArtifactsAsync(modelFolder, "model");
            runId = run.RunId;
        }

        await client.Registry.CreateRegisteredModelAsync("frappe-ffm");
        var version = await client.Registry.CreateModelVersionFromRunAsync("frappe-ffm", runId, "model");
        await client.Registry.SetAliasAsync("frappe-ffm", "production", version.Version);
    }

    private static async Task<string> MeasureLatencyAsync(HttpClient http, Uri predictUri, string frappePath)
    {
        var body = string.Join('\n', File.ReadLines(frappePath).Take(100));
        // The warm-up also lasts at least 3 s. Tiered compilation recompiles hot methods in the
        // background once 100 ms pass without new methods, and that work must not land in the
        // measured tail.
        const int warmup = 3000;
        var warmupTime = TimeSpan.FromSeconds(3);
        const int requests = 3000;
        var latencies = new double[requests];
        var warmupClock = Stopwatch.StartNew();
        for (var i = 0; i < warmup || warmupClock.Elapsed < warmupTime; i++)
        {
            await PostAsync(http, predictUri, body);
        }

        for (var i = 0; i < requests; i++)
        {
            var stopwatch = Stopwatch.StartNew();
            await PostAsync(http, predictUri, body);
            latencies[i] = stopwatch.Elapsed.TotalMilliseconds;
        }

        Array.Sort(latencies);
        var table = new StringBuilder();
        table.AppendLine(CultureInfo.InvariantCulture, $"Inference worker, `POST /v1/models/frappe-ffm/predict` with 100 Frappe rows as text/plain, one client over loopback, {requests:N0} sequential requests after {warmup:N0} warm-up requests (at least {warmupTime.TotalSeconds:F0} s); latency measured by the client.");
        table.AppendLine();
        table.AppendLine("| p50 ms | p90 ms | p99 ms | max ms |");
        table.AppendLine("| ---: | ---: | ---: | ---: |");
        table.AppendLine(CultureInfo.InvariantCulture, $"| {Percentile(latencies, 0.50):F3} | {Percentile(latencies, 0.90):F3} | {Percentile(latencies, 0.99):F3} | {latencies[^1]:F3} |");
        return table.ToString();
    }

    private static async Task PostAsync(HttpClient http, Uri predictUri, string body)
    {
        using var response = await http.PostAsync(predictUri, new StringContent(body, Encoding.UTF8, "text/plain"));
        response.EnsureSuccessStatusCode();
        await response.Content.ReadAsByteArrayAsync();
    }

    private static string? FindBuiltProgram(string project)
    {
        var root = FindSample("README.md") is { } readme ? Path.GetFullPath(Path.Combine(Path.GetDirectoryName(readme)!, "..", "..")) : null;
        if (root is null)
        {
            return null;
        }

        // The newest build wins, because a stale Release build may lack endpoints that a fresh Debug build has.
        return new[] { "Release", "Debug" }
            .Select(configuration => Path.Combine(root, "src", project, "bin", configuration, "net10.0", project + ".dll"))
            .Where(File.Exists)
            .OrderByDescending(File.GetLastWriteTimeUtc)
            .FirstOrDefault();
    }

    private static Process StartProgram(string program, string[] programArguments)
    {
        var startInfo = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        startInfo.ArgumentList.Add(program);
        foreach (var argument in programArguments)
        {
            startInfo.ArgumentList.Add(argument);
        }

        var process = Process.Start(startInfo) ?? throw new InvalidOperationException($"Starting {program} failed.");

        // The output is read and dropped so that a full pipe never blocks the child.
        process.OutputDataReceived += (_, _) => { };
        process.ErrorDataReceived += (_, _) => { };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return process;
    }

    private static void StopProgram(Process process)
    {
        if (!process.HasExited)
        {
            process.Kill(entireProcessTree: true);
            process.WaitForExit();
        }
    }

    private static async Task WaitForSuccessAsync(HttpClient http, Uri uri)
    {
        var deadline = DateTime.UtcNow.AddSeconds(60);
        while (DateTime.UtcNow < deadline)
        {
            try
            {
                using var response = await http.GetAsync(uri);
                if (response.IsSuccessStatusCode)
                {
                    return;
                }
            }
            catch (HttpRequestException)
            {
                // Not listening yet.
            }

            await Task.Delay(100);
        }

        throw new TimeoutException($"{uri} did not succeed within 60 s.");
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    private static double Percentile(double[] sorted, double quantile) =>
        sorted[Math.Min(sorted.Length - 1, (int)Math.Ceiling(quantile * sorted.Length) - 1)];

    private static async Task<string> EnsureDataAsync(BenchmarkArguments arguments, SyntheticIdDistribution distribution, int rows)
    {
        var features = distribution == SyntheticIdDistribution.Zipf ? 1_000_000 : 262_144;
        var exponent = distribution == SyntheticIdDistribution.Zipf && arguments.ZipfExponent != 1.0
            ? string.Create(CultureInfo.InvariantCulture, $"-s{arguments.ZipfExponent}")
            : string.Empty;
        var path = Path.Combine(arguments.WorkDirectory, $"criteo-{distribution.ToString().ToLowerInvariant()}{exponent}-{rows}.txt");
        if (!File.Exists(path))
        {
            var options = new SyntheticDataOptions { Rows = rows, Features = features, Distribution = distribution, ZipfExponent = arguments.ZipfExponent };
            await CriteoSyntheticGenerator.WriteFileAsync(path, options, CancellationToken.None);
        }

        return path;
    }

    private static string? FindSample(string name)
    {
        foreach (var start in new[] { AppContext.BaseDirectory, Directory.GetCurrentDirectory() })
        {
            for (var directory = new DirectoryInfo(start); directory is not null; directory = directory.Parent)
            {
                var candidate = Path.Combine(directory.FullName, "data", "samples", name);
                if (File.Exists(candidate))
                {
                    return candidate;
                }
            }
        }

        return null;
    }

    private static double BestOf<T>(int runs, Func<T> action)
    {
        var best = double.MaxValue;
        for (var run = 0; run < runs; run++)
        {
            var stopwatch = Stopwatch.StartNew();
            GC.KeepAlive(action());
            best = Math.Min(best, stopwatch.Elapsed.TotalSeconds);
        }

        return best;
    }

    private static double BestOf(int runs, Action action) => BestOf(runs, () =>
    {
        action();
        return 0;
    });

    private static double Median(IEnumerable<double> values)
    {
        var sorted = values.Order().ToArray();
        return sorted.Length % 2 == 1 ? sorted[sorted.Length / 2] : (sorted[(sorted.Length / 2) - 1] + sorted[sorted.Length / 2]) / 2;
    }

    /// <summary>Records the process's processor time spent in each epoch.</summary>
    private sealed class ProcessorTimeCallback : ITrainingCallback
    {
        private TimeSpan _last;

        public List<double> Seconds { get; } = [];

        public ValueTask OnTrainingStartAsync(TrainingContext context, CancellationToken cancellationToken)
        {
            _last = Process.GetCurrentProcess().TotalProcessorTime;
            return ValueTask.CompletedTask;
        }

        public ValueTask OnEpochEndAsync(TrainingContext context, EpochMetrics metrics, CancellationToken cancellationToken)
        {
            var now = Process.GetCurrentProcess().TotalProcessorTime;
            Seconds.Add((now - _last).TotalSeconds);
            _last = now;
            return ValueTask.CompletedTask;
        }
    }

    private sealed record BenchmarkArguments(int Rows, int Epochs, int ParseRows, int[] Threads, string WorkDirectory, string[] Sections, double ZipfExponent)
    {
        public static BenchmarkArguments Parse(string[] args)
        {
            var rows = 1_000_000;
            var epochs = 3;
            var parseRows = 200_000;
            int[] threads = [1, 2];
            var workDirectory = Path.Combine(Path.GetTempPath(), "platform-ffm-bench");
            string[] sections = ["parse", "train", "predict", "inference"];
            var zipfExponent = 1.0;
            for (var i = 0; i < args.Length; i++)
            {
                var value = i + 1 < args.Length ? args[i + 1] : throw new ArgumentException($"Option {args[i]} needs a value.");
                switch (args[i])
                {
                    case "--rows":
                        rows = PositiveInteger(args[i], value);
                        break;
                    case "--epochs":
                        epochs = PositiveInteger(args[i], value);
                        break;
                    case "--parse-rows":
                        parseRows = PositiveInteger(args[i], value);
                        break;
                    case "--threads":
                        threads = [.. value.Split(',').Select(part => PositiveInteger(args[i], part))];
                        break;
                    case "--work-dir":
                        workDirectory = value;
                        break;
                    case "--zipf-exponent":
                        zipfExponent = double.TryParse(value, NumberStyles.Float, CultureInfo.InvariantCulture, out var exponent) && exponent > 0 && double.IsFinite(exponent)
                            ? exponent
                            : throw new ArgumentException($"Option --zipf-exponent needs a finite number above 0, got '{value}'.");
                        break;
                    case "--sections":
                        sections = value.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
                        break;
                    default:
                        throw new ArgumentException($"Unknown option '{args[i]}'.");
                }

                i++;
            }

            return new BenchmarkArguments(rows, epochs, parseRows, threads, workDirectory, sections, zipfExponent);
        }

        private static int PositiveInteger(string option, string value) =>
            int.TryParse(value, NumberStyles.Integer, CultureInfo.InvariantCulture, out var number) && number > 0
                ? number
                : throw new ArgumentException($"Option {option} needs a positive integer, got '{value}'.");
    }
}
