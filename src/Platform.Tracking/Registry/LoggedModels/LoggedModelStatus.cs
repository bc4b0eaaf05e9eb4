using Platform.Tracking.Api;

namespace Platform.Tracking.Registry.LoggedModels;

/// <summary>The LoggedModelStatus names of MLflow 3's service.proto.</summary>
public static class LoggedModelStatus
{
    public const string Pending = "LOGGED_MODEL_PENDING";
    public const string Ready = "LOGGED_MODEL_READY";
    public const string UploadFailed = "LOGGED_MODEL_UPLOAD_FAILED";

    /// <summary>Parses a finalize status given by name or proto number; only READY and UPLOAD_FAILED finish a model.</summary>
    public static string ParseFinal(string? text) => text switch
    {
        Ready or "2" => Ready,
        UploadFailed or "3" => UploadFailed,
        null or "" => throw FieldReader.Missing("status"),
        _ => throw TrackingException.InvalidParameter(
            $"Invalid value '{text}' for parameter 'status': a logged model is finalized as {Ready} or {UploadFailed}."),
    };
}
