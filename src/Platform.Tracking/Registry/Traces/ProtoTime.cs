using System.Globalization;
using Platform.Tracking.Api;

namespace Platform.Tracking.Registry.Traces;

/// <summary>
/// Converts proto3 JSON well-known types: a Timestamp is an RFC 3339 string such as <c>2025-01-01T00:00:00.123Z</c>,
/// and a Duration is seconds with an <c>s</c> suffix such as <c>1.500s</c>. The server keeps both as milliseconds.
/// </summary>
internal static class ProtoTime
{
    public static string FormatTimestamp(long unixMilliseconds) =>
        DateTimeOffset.FromUnixTimeMilliseconds(unixMilliseconds).UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", CultureInfo.InvariantCulture);

    public static string FormatDuration(long milliseconds) =>
        (milliseconds / 1000m).ToString("0.000", CultureInfo.InvariantCulture) + "s";

    public static long ParseTimestamp(string text, string path) =>
        DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal, out var value)
            ? value.ToUnixTimeMilliseconds()
            : throw TrackingException.InvalidParameter(
                $"Invalid value '{text}' for parameter '{path}': expected an RFC 3339 timestamp such as 2025-01-01T00:00:00.123Z.");

    public static long ParseDuration(string text, string path)
    {
        if (text.EndsWith('s')
            && decimal.TryParse(text[..^1], NumberStyles.AllowDecimalPoint | NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var seconds))
        {
            return (long)decimal.Round(seconds * 1000m, MidpointRounding.AwayFromZero);
        }

        throw TrackingException.InvalidParameter($"Invalid value '{text}' for parameter '{path}': expected a duration such as 1.500s.");
    }
}
