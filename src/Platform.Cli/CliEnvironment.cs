namespace Platform.Cli;

/// <summary>
/// Everything <c>labctl</c> takes from its surroundings: output streams, environment variables, the
/// clock and waiting. Tests pass their own so they can run commands in-process and in parallel.
/// </summary>
public sealed class CliEnvironment
{
    /// <summary>Standard output: command results meant for scripts (tokens, tables, export lines).</summary>
    public required TextWriter Out { get; init; }

    /// <summary>Standard error: progress, instructions and error messages.</summary>
    public required TextWriter Error { get; init; }

    /// <summary>Reads an environment variable; null when unset.</summary>
    public Func<string, string?> GetVariable { get; init; } = Environment.GetEnvironmentVariable;

    /// <summary>Clock used for token expiry.</summary>
    public TimeProvider Time { get; init; } = TimeProvider.System;

    /// <summary>Waits between device-flow polls.</summary>
    public Func<TimeSpan, CancellationToken, Task> Delay { get; init; } = Task.Delay;

    /// <summary>Working folder, where labctl looks for the <c>.labplatform</c> data folder of <c>make run</c>.</summary>
    public string CurrentDirectory { get; init; } = Environment.CurrentDirectory;

    /// <summary>The real process environment.</summary>
    public static CliEnvironment FromProcess() => new() { Out = Console.Out, Error = Console.Error };

    /// <summary>Returns the variable's value, or null when it is unset or empty.</summary>
    public string? GetNonEmptyVariable(string name) => GetVariable(name) is { Length: > 0 } value ? value : null;

    /// <summary>The user's home folder, from <c>HOME</c> when set.</summary>
    public string HomeDirectory => GetNonEmptyVariable("HOME") ?? Environment.GetFolderPath(Environment.SpecialFolder.UserProfile);
}
