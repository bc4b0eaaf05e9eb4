using System.Buffers;

namespace Platform.MainJob;

/// <summary>POSIX shell quoting for the commands the main job prints, so they can be pasted into bash.</summary>
internal static class ShellQuoting
{
    // The same set as Python's shlex.quote: words made only of these need no quotes.
    private static readonly SearchValues<char> SafeCharacters =
        SearchValues.Create("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_@%+=:,./-");

    /// <summary>Joins <paramref name="arguments"/> with spaces, quoting each one that needs it.</summary>
    public static string Join(IEnumerable<string> arguments) => string.Join(' ', arguments.Select(Quote));

    /// <summary>
    /// Returns <paramref name="argument"/> unchanged when the shell reads it as one word, otherwise wrapped in
    /// single quotes, with each single quote inside written as <c>'\''</c>.
    /// </summary>
    public static string Quote(string argument)
    {
        ArgumentNullException.ThrowIfNull(argument);

        if (argument.Length > 0 && !argument.AsSpan().ContainsAnyExcept(SafeCharacters))
        {
            return argument;
        }

        return "'" + argument.Replace("'", @"'\''", StringComparison.Ordinal) + "'";
    }
}
