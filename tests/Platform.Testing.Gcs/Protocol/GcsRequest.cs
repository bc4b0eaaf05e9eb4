using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.AspNetCore.WebUtilities;
using Microsoft.Extensions.Primitives;

namespace Platform.Testing.Gcs;

/// <summary>
/// A request target split into path segments and query values. The raw target is used because object
/// names arrive percent-encoded (<c>%2F</c> for '/') and must be decoded exactly once.
/// </summary>
internal sealed class GcsRequest
{
    private GcsRequest(string rawPath, string rawQuery, string[] segments, Dictionary<string, StringValues> query)
    {
        RawPath = rawPath;
        RawQuery = rawQuery;
        Segments = segments;
        Query = query;
    }

    public string RawPath { get; }

    public string RawQuery { get; }

    /// <summary>Raw (still encoded) segments of the path, without the leading empty one.</summary>
    public string[] Segments { get; }

    public Dictionary<string, StringValues> Query { get; }

    public static GcsRequest From(HttpContext context)
    {
        var target = context.Features.Get<IHttpRequestFeature>()?.RawTarget ?? context.Request.Path + context.Request.QueryString;
        var questionMark = target.IndexOf('?', StringComparison.Ordinal);
        var rawPath = questionMark < 0 ? target : target[..questionMark];
        var rawQuery = questionMark < 0 ? string.Empty : target[(questionMark + 1)..];
        var segments = rawPath.Trim('/').Split('/');
        return new GcsRequest(rawPath, rawQuery, segments, QueryHelpers.ParseQuery(rawQuery));
    }

    public string? QueryValue(string name) => Query.TryGetValue(name, out var value) && value.Count > 0 ? value[0] : null;

    public long? QueryInt64(string name)
    {
        var text = QueryValue(name);
        if (text is null)
        {
            return null;
        }

        return long.TryParse(text, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var value)
            ? value
            : throw GcsProtocolException.Invalid($"Invalid value '{text}' for query parameter '{name}': expected a non-negative integer.");
    }

    /// <summary>Decodes the segments from <paramref name="start"/> on as one object name.</summary>
    public string ObjectName(int start) => Uri.UnescapeDataString(string.Join('/', Segments[start..]));

    public bool Matches(params string[] prefix) =>
        Segments.Length >= prefix.Length && prefix.Select((p, i) => p == "*" || p == Segments[i]).All(match => match);
}
