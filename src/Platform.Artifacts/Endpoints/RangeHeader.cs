using System.Globalization;

namespace Platform.Artifacts.Endpoints;

/// <summary>Parses a single-range <c>Range: bytes=...</c> request header.</summary>
internal static class RangeHeader
{
    /// <summary>
    /// Returns the requested range, or null when the header is absent, malformed or requests several
    /// ranges. RFC 9110 section 14.2 lets a server ignore such a header and send the whole file.
    /// </summary>
    public static ByteRange? Parse(string? value)
    {
        if (string.IsNullOrWhiteSpace(value))
        {
            return null;
        }

        var text = value.Trim();
        const string unit = "bytes=";
        if (!text.StartsWith(unit, StringComparison.OrdinalIgnoreCase) || text.Contains(',', StringComparison.Ordinal))
        {
            return null;
        }

        var spec = text[unit.Length..].Trim();
        var dash = spec.IndexOf('-', StringComparison.Ordinal);
        if (dash < 0)
        {
            return null;
        }

        var firstText = spec[..dash].Trim();
        var lastText = spec[(dash + 1)..].Trim();
        if (firstText.Length == 0)
        {
            return TryParse(lastText, out var suffix) && suffix > 0 ? ByteRange.FromEnd(suffix) : null;
        }

        if (!TryParse(firstText, out var first))
        {
            return null;
        }

        if (lastText.Length == 0)
        {
            return ByteRange.FromPosition(first);
        }

        return TryParse(lastText, out var last) && last >= first ? ByteRange.FromPosition(first, last) : null;
    }

    private static bool TryParse(string text, out long value) =>
        long.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out value);
}
