using System.CommandLine;

namespace Platform.Benchmarks;

/// <summary>One <c>Platform.Benchmarks &lt;command&gt;</c>: builds its command with options and action.</summary>
internal interface IBenchmarkCommand
{
    Command Create();
}
