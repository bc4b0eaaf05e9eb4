using System.CommandLine;

namespace Platform.Benchmarks;

/// <summary>
/// A command whose benchmark parses its own options: every token after the command name goes to
/// <see cref="_run"/> unchanged.
/// </summary>
internal sealed class ForwardingBenchmarkCommand : IBenchmarkCommand
{
    private readonly string _name;
    private readonly string _description;
    private readonly Func<string[], Task<int>> _run;

    public ForwardingBenchmarkCommand(string name, string description, Func<string[], Task<int>> run)
    {
        _name = name;
        _description = description;
        _run = run;
    }

    public Command Create()
    {
        var command = new Command(_name, _description) { TreatUnmatchedTokensAsErrors = false };
        command.SetAction(parseResult => _run([.. parseResult.UnmatchedTokens]));
        return command;
    }
}
