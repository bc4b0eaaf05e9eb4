using System.CommandLine;
using Platform.Cli.Commands;

namespace Platform.Cli;

/// <summary>The <c>labctl</c> command tree.</summary>
public static class LabctlApp
{
    /// <summary>Parses <paramref name="args"/>, runs the command and returns the process exit code.</summary>
    public static async Task<int> RunAsync(string[] args, CliEnvironment environment, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(args);
        ArgumentNullException.ThrowIfNull(environment);

        var root = BuildRootCommand(environment);
        // Response files are off because an argument such as '@x.com' is an email address (or part of one), not a file to expand.
        var parseResult = root.Parse(args, new ParserConfiguration { ResponseFileTokenReplacer = null });
        var configuration = new InvocationConfiguration { Output = environment.Out, Error = environment.Error };
        var exitCode = await parseResult.InvokeAsync(configuration, cancellationToken);

        // System.CommandLine returns 1 for parse errors; labctl reserves 1 for failed operations. The parse
        // result can contain errors while --version or --help still ran and returned 0, for example when the
        // alias adds --data-dir before --version, and then the exit code stays 0.
        return parseResult.Errors.Count > 0 && exitCode != ExitCodes.Success ? ExitCodes.InvalidArguments : exitCode;
    }

    /// <summary>Builds the command tree with every command bound to <paramref name="environment"/>.</summary>
    public static RootCommand BuildRootCommand(CliEnvironment environment)
    {
        var global = new GlobalOptions();
        var root = new RootCommand("labctl: manage Lab Platform tenants and tokens, and sign in to the gateway.");
        global.AddTo(root);
        root.Subcommands.Add(TenantCommands.Create(global, environment));
        root.Subcommands.Add(TokenCommands.Create(global, environment));
        root.Subcommands.Add(EnvCommand.Create(global, environment));
        root.Subcommands.Add(LoginCommand.Create(environment));
        return root;
    }
}
