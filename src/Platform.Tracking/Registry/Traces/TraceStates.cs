using Platform.Tracking.Api;

namespace Platform.Tracking.Registry.Traces;

/// <summary>The TraceInfoV3.State names of MLflow 3's service.proto.</summary>
public static class TraceStates
{
    public static readonly IReadOnlyList<string> All = ["STATE_UNSPECIFIED", "OK", "ERROR", "IN_PROGRESS"];

    /// <summary>Parses a state given by name or proto number; absent means STATE_UNSPECIFIED.</summary>
    public static string Parse(string? text) => text switch
    {
        null or "" or "0" => All[0],
        "1" => "OK",
        "2" => "ERROR",
        "3" => "IN_PROGRESS",
        _ when All.Contains(text) => text,
        _ => throw TrackingException.InvalidParameter(
            $"Invalid value '{text}' for parameter 'trace_info.state': use one of {string.Join(", ", All)}."),
    };
}
