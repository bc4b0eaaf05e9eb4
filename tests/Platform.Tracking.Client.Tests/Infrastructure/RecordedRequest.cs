using System.Text.Json;

namespace Platform.Tracking.Client.Tests;

/// <summary>One request as the recording server received it; <see cref="Body"/> is empty for streamed routes.</summary>
public sealed record RecordedRequest(
    string Method,
    string Path,
    string QueryString,
    IReadOnlyDictionary<string, string> Headers,
    string Body)
{
    public string? Header(string name) => Headers.TryGetValue(name, out var value) ? value : null;

    public JsonElement Json => JsonDocument.Parse(Body).RootElement;

    /// <summary>Values of a query parameter, unescaped, in order.</summary>
    public IReadOnlyList<string> Query(string name) =>
        Microsoft.AspNetCore.WebUtilities.QueryHelpers.ParseQuery(QueryString).TryGetValue(name, out var values)
            ? values.Select(v => v ?? string.Empty).ToList()
            : [];
}
