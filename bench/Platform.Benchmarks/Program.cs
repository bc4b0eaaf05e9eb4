using System.CommandLine;
using Platform.Benchmarks;
using Platform.Benchmarks.Artifacts;
using Platform.Benchmarks.Tracking;

// Usage: Platform.Benchmarks <command> [options]. Each command is one IBenchmarkCommand class, so a new command is one more entry in this list.
IBenchmarkCommand[] commands =
[
    new TrackingBenchmarkCommand(),
    new ArtifactsBenchmark(),
    new ForwardingBenchmarkCommand("ffm", "FFM training, parsing and prediction speed, and the inference worker's latency.", FfmBenchmark.RunAsync),
    new ForwardingBenchmarkCommand("gateway", "Gateway overhead against direct access and nginx, measured with wrk.", GatewayBenchmark.RunAsync),
    new ForwardingBenchmarkCommand("operator", "Reconcile TrackingServers to Ready against the Kubernetes API test server.", OperatorBenchmark.RunAsync),
];

var root = new RootCommand("Lab Platform benchmarks: load generators that print tables and update docs/benchmarks.md.");
foreach (var command in commands)
{
    root.Subcommands.Add(command.Create());
}

return await root.Parse(args).InvokeAsync();
