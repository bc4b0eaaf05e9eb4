namespace Platform.Cli.Commands;

/// <summary>
/// A plain-text table whose columns are as wide as their widest cell, separated by two spaces. The last
/// column is not padded, so lines carry no trailing spaces.
/// </summary>
internal sealed class TextTable
{
    private readonly List<string[]> _rows = [];

    public TextTable(params string[] headers)
    {
        ArgumentNullException.ThrowIfNull(headers);
        _rows.Add(headers);
    }

    /// <summary>Adds a row with one cell per header.</summary>
    public void AddRow(params string[] cells)
    {
        ArgumentNullException.ThrowIfNull(cells);
        if (cells.Length != _rows[0].Length)
        {
            throw new ArgumentException($"The row has {cells.Length} cells, but the table has {_rows[0].Length} columns.", nameof(cells));
        }

        _rows.Add(cells);
    }

    /// <summary>Writes the header line and every row.</summary>
    public async Task WriteAsync(TextWriter writer)
    {
        ArgumentNullException.ThrowIfNull(writer);

        var columnCount = _rows[0].Length;
        var widths = new int[columnCount];
        foreach (var row in _rows)
        {
            for (var column = 0; column < columnCount; column++)
            {
                widths[column] = Math.Max(widths[column], row[column].Length);
            }
        }

        foreach (var row in _rows)
        {
            var cells = row.Select((cell, column) => column == columnCount - 1 ? cell : cell.PadRight(widths[column]));
            await writer.WriteLineAsync(string.Join("  ", cells));
        }
    }
}
