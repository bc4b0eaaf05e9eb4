using System.Globalization;
using System.Text;

namespace Platform.Models.Ffm.Data;

/// <summary>
/// Parses one slice of libffm text (whole lines) into growable buffers. Lines are
/// <c>label field:feature:value ...</c>, separated by spaces or tabs; blank lines are skipped.
/// </summary>
internal sealed class FfmTextChunkParser
{
    private const byte Space = (byte)' ';
    private const byte Tab = (byte)'\t';
    private const byte CarriageReturn = (byte)'\r';
    private const byte NewLine = (byte)'\n';

    public FfmTextChunkParser(int expectedBytes)
    {
        // About 8 bytes per non-zero and 40 non-zeros per row in Criteo-like text.
        Nodes = new GrowableArray<FfmNode>(expectedBytes / 8);
        Labels = new GrowableArray<float>(expectedBytes / 320);
        Scales = new GrowableArray<float>(expectedBytes / 320);
        RowLengths = new GrowableArray<int>(expectedBytes / 320);
    }

    public GrowableArray<FfmNode> Nodes { get; }

    public GrowableArray<float> Labels { get; }

    public GrowableArray<float> Scales { get; }

    public GrowableArray<int> RowLengths { get; }

    public int MaxField { get; private set; } = -1;

    public int MaxFeature { get; private set; } = -1;

    /// <summary>Lines seen in the slice, blank ones included.</summary>
    public long LineCount { get; private set; }

    /// <summary>The first error: its line within the slice (1-based), the bad token and the message.</summary>
    public (long Line, string? Token, string Message)? Error { get; private set; }

    public void Parse(ReadOnlySpan<byte> text)
    {
        while (!text.IsEmpty)
        {
            var end = text.IndexOf(NewLine);
            var line = end < 0 ? text : text[..end];
            text = end < 0 ? [] : text[(end + 1)..];
            LineCount++;

            var error = ParseLine(line);
            if (error is not null)
            {
                Error = (LineCount, error.Value.Token, error.Value.Message);
                return;
            }
        }
    }

    private (string? Token, string Message)? ParseLine(ReadOnlySpan<byte> line)
    {
        var rest = line;
        var labelToken = NextToken(ref rest);
        if (labelToken.IsEmpty)
        {
            return null;
        }

        if (!TryParseLabel(labelToken, out var label))
        {
            return (Text(labelToken), $"invalid label '{Text(labelToken)}': expected a number such as 0 or 1.");
        }

        var rowLength = 0;
        float squaredNorm = 0;
        while (true)
        {
            var token = NextToken(ref rest);
            if (token.IsEmpty)
            {
                break;
            }

            var error = ParseNode(token, out var node);
            if (error is not null)
            {
                return (Text(token), error);
            }

            Nodes.Add(node);
            rowLength++;
            squaredNorm += node.Value * node.Value;
            MaxField = Math.Max(MaxField, node.Field);
            MaxFeature = Math.Max(MaxFeature, node.Feature);
        }

        Labels.Add(label > 0 ? 1f : -1f);

        // libffm stores 1 / Σ v² computed in double and rounded to float. An all-zero row gets 1
        // instead of libffm's infinity, because infinity would turn its pair factors into NaN.
        Scales.Add(squaredNorm > 0 ? (float)(1.0 / squaredNorm) : 1f);
        RowLengths.Add(rowLength);
        return null;
    }

    private static ReadOnlySpan<byte> NextToken(ref ReadOnlySpan<byte> rest)
    {
        var start = 0;
        while (start < rest.Length && IsSeparator(rest[start]))
        {
            start++;
        }

        var end = start;
        while (end < rest.Length && !IsSeparator(rest[end]))
        {
            end++;
        }

        var token = rest[start..end];
        rest = rest[end..];
        return token;
    }

    private static bool IsSeparator(byte value) => value is Space or Tab or CarriageReturn;

    private static bool TryParseLabel(ReadOnlySpan<byte> token, out double label)
    {
        if (token.Length == 1 && token[0] is (byte)'0' or (byte)'1')
        {
            label = token[0] - '0';
            return true;
        }

        return double.TryParse(token, NumberStyles.Float, CultureInfo.InvariantCulture, out label) && double.IsFinite(label);
    }

    private static string? ParseNode(ReadOnlySpan<byte> token, out FfmNode node)
    {
        node = default;
        var firstColon = token.IndexOf((byte)':');
        var secondColon = firstColon < 0 ? -1 : token[(firstColon + 1)..].IndexOf((byte)':');
        if (firstColon < 0 || secondColon < 0)
        {
            return $"invalid feature '{Text(token)}': expected field:feature:value with non-negative integer ids, for example 3:1042:1.";
        }

        secondColon += firstColon + 1;
        var fieldText = token[..firstColon];
        var featureText = token[(firstColon + 1)..secondColon];
        var valueText = token[(secondColon + 1)..];

        var fieldError = ParseId(fieldText, "field", out var field);
        if (fieldError is not null)
        {
            return $"invalid feature '{Text(token)}': {fieldError}";
        }

        var featureError = ParseId(featureText, "feature", out var feature);
        if (featureError is not null)
        {
            return $"invalid feature '{Text(token)}': {featureError}";
        }

        var valueError = ParseValue(valueText, out var value);
        if (valueError is not null)
        {
            return $"invalid feature '{Text(token)}': {valueError}";
        }

        node = new FfmNode(field, feature, value);
        return null;
    }

    private static string? ParseId(ReadOnlySpan<byte> text, string kind, out int id)
    {
        id = 0;
        if (text.IsEmpty)
        {
            return $"the {kind} id is missing.";
        }

        if (text[0] == (byte)'-')
        {
            return $"the {kind} id {Text(text)} is negative; ids start at 0.";
        }

        long value = 0;
        foreach (var digit in text)
        {
            var d = digit - '0';
            if ((uint)d > 9)
            {
                return $"the {kind} id '{Text(text)}' is not a non-negative integer.";
            }

            value = (value * 10) + d;

            // The count n or m is id + 1, so the largest id must leave room for it in an int.
            if (value >= int.MaxValue)
            {
                return $"the {kind} id {Text(text)} is out of range; the maximum is {int.MaxValue - 1}.";
            }
        }

        id = (int)value;
        return null;
    }

    private static string? ParseValue(ReadOnlySpan<byte> text, out float value)
    {
        if (text.Length == 1 && text[0] == (byte)'1')
        {
            value = 1f;
            return null;
        }

        // libffm reads values with atof (double) and stores them as float, so parse as double and round once.
        if (!double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var parsed))
        {
            value = 0;
            return text.IsEmpty ? "the value is missing." : $"the value '{Text(text)}' is not a number.";
        }

        value = (float)parsed;
        if (!float.IsFinite(value))
        {
            return $"the value {Text(text)} is not a finite float (NaN, infinite or beyond ±3.4e38).";
        }

        return null;
    }

    private static string Text(ReadOnlySpan<byte> bytes) =>
        Encoding.UTF8.GetString(bytes.Length > 64 ? bytes[..64] : bytes) + (bytes.Length > 64 ? "..." : string.Empty);
}
