using System.CommandLine;
using Platform.Tracking.Client;

namespace Platform.Benchmarks.Tracking;

/// <summary>
/// <c>tracking</c>: load-tests the tracking server (started as a child process) with SQLite and PostgreSQL stores, prints
/// latency and ingest tables and writes them to <c>docs/benchmarks.md</c>.
/// </summary>
internal sealed class TrackingBenchmarkCommand : IBenchmarkCommand
{
    private const string SectionName = "tracking-benchmark";
    private const string DefaultPostgres = "Host=127.0.0.1;Port=55432;Username=postgres;Password=labplatform;Database=postgres";

    public Command Create()
    {
        var serverDll = new Option<string>("--server-dll")
        {
            Description = "Path of the built tracking server; default src/Platform.Tracking/bin/Release/net10.0/Platform.Tracking.dll under the repository.",
        };
        var backends = new Option<string[]>("--backends")
        {
            Description = "Backend stores to test: sqlite, postgres or both.",
            DefaultValueFactory = _ => ["sqlite", "postgres"],
            AllowMultipleArgumentsPerToken = true,
        };
        backends.AcceptOnlyFromAmong("sqlite", "postgres");
        var postgres = new Option<string>("--postgres")
        {
            Description = "Admin connection string of the PostgreSQL server that gets a fresh database; default $PLATFORM_TEST_POSTGRES or the scripts/postgres.sh server.",
        };
        var clients = PositiveOption("--clients", "Concurrent clients.", 20);
        var iterations = PositiveOption("--iterations", "Iterations per client.", 100);
        var ingestWriters = PositiveOption("--ingest-writers", "Concurrent writers in the sustained-ingest measurement.", 4);
        var ingestSeconds = PositiveOption("--ingest-seconds", "Duration of the sustained-ingest measurement, in seconds.", 15);
        var output = new Option<string>("--output")
        {
            Description = "Markdown file whose tracking section is replaced with the results; default docs/benchmarks.md. Use '-' to write nothing.",
        };

        var command = new Command("tracking", "Benchmark the MLflow-compatible tracking server with the FastTrackML method (SQLite and PostgreSQL).");
        foreach (var option in new Option[] { serverDll, backends, postgres, clients, iterations, ingestWriters, ingestSeconds, output })
        {
            command.Options.Add(option);
        }

        command.SetAction(async (parseResult, cancellationToken) =>
        {
            var root = RepositoryRoot.Find();
            var outputPath = parseResult.GetValue(output);
            var settings = new TrackingBenchmarkSettings(
                parseResult.GetValue(serverDll) ?? Path.Combine(root, "src", "Platform.Tracking", "bin", "Release", "net10.0", "Platform.Tracking.dll"),
                parseResult.GetValue(backends)!.Distinct(StringComparer.Ordinal).ToList(),
                parseResult.GetValue(postgres) ?? NonEmpty(Environment.GetEnvironmentVariable("PLATFORM_TEST_POSTGRES")) ?? DefaultPostgres,
                parseResult.GetValue(clients),
                parseResult.GetValue(iterations),
                parseResult.GetValue(ingestWriters),
                parseResult.GetValue(ingestSeconds),
                outputPath == "-" ? null : outputPath ?? Path.Combine(root, "docs", "benchmarks.md"));
            var commandLine = "Platform.Benchmarks " + string.Join(' ', parseResult.Tokens.Select(t => t.Value));
            try
            {
                return await RunAsync(settings, commandLine, cancellationToken);
            }
            catch (Exception ex) when (ex is FileNotFoundException or InvalidOperationException or TimeoutException)
            {
                // Setup failures (server not built, PostgreSQL down, server not ready) carry their own instructions.
                await Console.Error.WriteLineAsync($"error: {ex.Message}");
                return 2;
            }
        });
        return command;
    }

    private static async Task<int> RunAsync(TrackingBenchmarkSettings settings, string commandLine, CancellationToken cancellationToken)
    {
        var machine = MachineInfo.Current();
        var loadBefore = MachineInfo.ReadLoadAverage();
        Console.WriteLine($"Tracking benchmark on {machine}");
        var results = new List<BackendResult>();
        foreach (var backend in settings.Backends)
        {
            results.Add(await RunBackendAsync(backend, settings, cancellationToken));
        }

        var report = TrackingReport.Format(results, settings, machine, DateTimeOffset.UtcNow, commandLine, loadBefore);
        Console.WriteLine();
        Console.WriteLine(report);
        if (settings.OutputPath is not null)
        {
            await BenchmarksDocument.WriteSectionAsync(settings.OutputPath, SectionName, report, cancellationToken);
            Console.WriteLine($"Wrote the results to {settings.OutputPath}");
        }

        return results.Any(r => r.Operations.Any(o => o.Errors > 0) || r.Ingest.Errors > 0) ? 1 : 0;
    }

    private static async Task<BackendResult> RunBackendAsync(string backend, TrackingBenchmarkSettings settings, CancellationToken cancellationToken)
    {
        var label = backend == "postgres" ? "PostgreSQL" : "SQLite";
        var folder = Directory.CreateTempSubdirectory("labplatform-bench-").FullName;
        BenchmarkPostgres? database = null;
        try
        {
            string storeUri;
            if (backend == "postgres")
            {
                database = await BenchmarkPostgres.CreateAsync(settings.PostgresConnectionString, cancellationToken);
                storeUri = database.BackendStoreUri;
            }
            else
            {
                storeUri = "sqlite:///" + Path.Combine(folder, "mlflow.db");
            }

            Console.WriteLine($"[{label}] starting {settings.ServerDll}");
            await using var server = await TrackingServerProcess.StartAsync(settings.ServerDll, storeUri, TimeSpan.FromSeconds(60), cancellationToken);
            using var client = new TrackingClient(new TrackingClientOptions
            {
                TrackingUri = server.BaseUri,
                MaxRetries = 0,
                RequestTimeout = TimeSpan.FromMinutes(2),
                ModelCacheDirectory = Path.Combine(folder, "models"),
            });

            // A short unrecorded pass lets the server JIT-compile and warm its connection pool first.
            await new TrackingLoadScenario(client, clients: 2, iterations: 3).RunAsync(cancellationToken);

            Console.WriteLine($"[{label}] {settings.Clients} clients × {settings.Iterations} iterations");
            var recorder = await new TrackingLoadScenario(client, settings.Clients, settings.Iterations).RunAsync(cancellationToken);
            var operations = TrackingOperations.All.Select(recorder.Summarize).ToList();
            foreach (var summary in operations)
            {
                Console.WriteLine($"[{label}] {summary.Operation,-18} mean {summary.Mean,8:0.0} ms  p50 {summary.P50,8:0.0} ms  p95 {summary.P95,8:0.0} ms  errors {summary.Errors}");
            }

            Console.WriteLine($"[{label}] sustained ingest: {settings.IngestWriters} writers for {settings.IngestSeconds} s");
            var ingest = await new SustainedIngest(client, settings.IngestWriters, TimeSpan.FromSeconds(settings.IngestSeconds)).RunAsync(cancellationToken);
            Console.WriteLine($"[{label}] {ingest.PointsPerSecond:0} points/s ({ingest.Points} points, {ingest.Errors} failed requests)");
            return new BackendResult(label, operations, ingest);
        }
        finally
        {
            if (database is not null)
            {
                await database.DisposeAsync();
            }

            Directory.Delete(folder, recursive: true);
        }
    }

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

    private static string? NonEmpty(string? value) => string.IsNullOrWhiteSpace(value) ? null : value;
}
