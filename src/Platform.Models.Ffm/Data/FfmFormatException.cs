namespace Platform.Models.Ffm.Data;

/// <summary>Raised for input that is not valid libffm text, naming the source, line and token.</summary>
public sealed class FfmFormatException : FormatException
{
    public FfmFormatException(string source, long lineNumber, string? token, string message)
        : base(lineNumber > 0 ? $"{source}, line {lineNumber}: {message}" : $"{source}: {message}")
    {
        Source = source;
        LineNumber = lineNumber;
        Token = token;
    }

    /// <summary>The file name or other label of the input.</summary>
    public new string Source { get; }

    /// <summary>The 1-based line number of the bad input; 0 when the whole input is at fault.</summary>
    public long LineNumber { get; }

    /// <summary>The bad token, when one token is at fault.</summary>
    public string? Token { get; }
}
