namespace Platform.Benchmarks;

/// <summary>
/// Updates one section of <c>docs/benchmarks.md</c>, delimited by HTML comment markers named after the section, and
/// keeps every other section as it is.
/// </summary>
internal static class BenchmarksDocument
{
    private const string Header = "# Benchmarks\n\nMeasured results of `make bench` (`scripts/bench.sh`). Each section is written by one benchmark command.\n";

    public static async Task WriteSectionAsync(string path, string sectionName, string markdown, CancellationToken cancellationToken)
    {
        var start = $"<!-- {sectionName}:start -->";
        var end = $"<!-- {sectionName}:end -->";
        var block = $"{start}\n{markdown.TrimEnd()}\n{end}";
        var text = File.Exists(path) ? await File.ReadAllTextAsync(path, cancellationToken) : Header;
        var startIndex = text.IndexOf(start, StringComparison.Ordinal);
        var endIndex = text.IndexOf(end, StringComparison.Ordinal);
        if (startIndex >= 0 && endIndex > startIndex)
        {
            text = string.Concat(text.AsSpan(0, startIndex), block, text.AsSpan(endIndex + end.Length));
        }
        else
        {
            text = text.TrimEnd() + "\n\n" + block + "\n";
        }

        Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(path))!);
        await File.WriteAllTextAsync(path, text, cancellationToken);
    }
}
