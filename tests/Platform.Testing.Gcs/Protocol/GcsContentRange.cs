using System.Globalization;

namespace Platform.Testing.Gcs;

/// <summary>
/// The <c>Content-Range</c> header of a resumable-upload request: <c>bytes first-last/total</c>,
/// <c>bytes first-last/*</c> (total not known yet) or <c>bytes */total</c> and <c>bytes */*</c> (status query).
/// </summary>
internal readonly record struct GcsContentRange(long? First, long? Last, long? Total)
{
    public bool IsStatusQuery => First is null;

    public long Length => Last!.Value - First!.Value + 1;

    public static GcsContentRange Parse(string? header, long? contentLength)
    {
        // Without Content-Range the body is the whole object in one request.
        if (string.IsNullOrWhiteSpace(header))
        {
            var length = contentLength ?? throw GcsProtocolException.Invalid("A resumable upload request needs Content-Range or Content-Length.");
            return length == 0 ? new GcsContentRange(null, null, 0) : new GcsContentRange(0, length - 1, length);
        }

        const string unit = "bytes ";
        var text = header.Trim();
        var slash = text.IndexOf('/', StringComparison.Ordinal);
        if (!text.StartsWith(unit, StringComparison.Ordinal) || slash < 0)
        {
            throw Malformed(header);
        }

        var rangeText = text[unit.Length..slash].Trim();
        var totalText = text[(slash + 1)..].Trim();
        long? total = totalText == "*" ? null : ParseNumber(totalText, header);
        if (rangeText == "*")
        {
            return new GcsContentRange(null, null, total);
        }

        var dash = rangeText.IndexOf('-', StringComparison.Ordinal);
        if (dash <= 0)
        {
            throw Malformed(header);
        }

        var first = ParseNumber(rangeText[..dash], header);
        var last = ParseNumber(rangeText[(dash + 1)..], header);
        if (last < first || (total is { } t && last >= t))
        {
            throw Malformed(header);
        }

        return new GcsContentRange(first, last, total);
    }

    private static long ParseNumber(string text, string header) =>
        long.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var value) ? value : throw Malformed(header);

    private static GcsProtocolException Malformed(string header) =>
        GcsProtocolException.Invalid($"Invalid Content-Range header '{header}'. Expected 'bytes first-last/total', 'bytes first-last/*' or 'bytes */total'.");
}
