using System.Text.Json.Serialization;

namespace Platform.Tracking.Storage.Sql;

/// <summary>The JSON inside a page token: a fingerprint of the sort order and the last row's sort values as text.</summary>
internal sealed record PageTokenBody(
    [property: JsonPropertyName("f")] string Fingerprint,
    [property: JsonPropertyName("v")] string?[] Values);
