using System.Globalization;
using System.Text;

namespace Platform.Models.Ffm.Data;

/// <summary>
/// Per-row importance weights: one non-negative float per line, row i of the data file taking the
/// weight on line i (the <c>-W</c> file of CyberAgentAI's libffm fork).
/// </summary>
public static class ImportanceWeights
{
    /// <summary>Reads a weights file and checks that it has one weight per data row.</summary>
    public static async Task<float[]> ReadFileAsync(string path, int expectedRows, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        var bytes = await File.ReadAllBytesAsync(path, cancellationToken).ConfigureAwait(false);
        return Parse(bytes, Path.GetFileName(path), expectedRows);
    }

    /// <summary>Parses weights text; raises <see cref="FfmFormatException"/> for a bad value or a row-count mismatch.</summary>
    public static float[] Parse(ReadOnlySpan<byte> text, string source, int expectedRows)
    {
        var weights = new List<float>(Math.Max(0, expectedRows));
        long lineNumber = 0;
        while (!text.IsEmpty)
        {
            var end = text.IndexOf((byte)'\n');
            var line = (end < 0 ? text : text[..end]).Trim(" \t\r"u8);
            text = end < 0 ? [] : text[(end + 1)..];
            lineNumber++;
            if (line.IsEmpty)
            {
                continue;
            }

            if (!double.TryParse(line, NumberStyles.Float, CultureInfo.InvariantCulture, out var parsed))
            {
                var token = Encoding.UTF8.GetString(line);
                throw new FfmFormatException(source, lineNumber, token, $"invalid importance weight '{token}': expected one non-negative number per line.");
            }

            var weight = (float)parsed;
            if (!float.IsFinite(weight) || weight < 0)
            {
                var token = Encoding.UTF8.GetString(line);
                throw new FfmFormatException(source, lineNumber, token, $"invalid importance weight {token}: weights must be finite and non-negative.");
            }

            weights.Add(weight);
        }

        if (weights.Count != expectedRows)
        {
            throw new FfmFormatException(
                source, 0, null, $"the weights file has {weights.Count} weights but the data has {expectedRows} rows; it needs exactly one weight per row.");
        }

        return [.. weights];
    }
}
