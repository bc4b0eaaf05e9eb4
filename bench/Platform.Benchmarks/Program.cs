using System.CommandLine;
using Platform.Benchmarks;
using Platform.Benchmarks.Tracking;

// Usage: Platform.Benchmarks <command> [options]. Each command is one IBenchmarkCommand class, so a new command is one more entry in this list.
IBenchmarkCommand[] commands = [new TrackingBenchmarkCommand()];

var root = new RootCommand("Lab Platform benchmarks: load generators that print tables and update docs/benchmarks.md.");
foreach (var command in commands)
{
    root.Subcommands.Add(command.Create());
}

return await root.Parse(args).InvokeAsync();
