using Microsoft.Extensions.Logging;

namespace Platform.Artifacts.Endpoints;

/// <summary>Log events of the artifact proxy endpoints (event ids 4100-4199).</summary>
internal static partial class ArtifactsLog
{
    [LoggerMessage(EventId = 4100, EventName = "ArtifactUploaded", Level = LogLevel.Information,
        Message = "Stored artifact {ArtifactPath} ({ContentLength} bytes declared) in {ElapsedMs} ms")]
    public static partial void ArtifactUploaded(ILogger logger, string artifactPath, long? contentLength, long elapsedMs);

    [LoggerMessage(EventId = 4101, EventName = "ArtifactDeleted", Level = LogLevel.Information,
        Message = "Deleted artifact path {ArtifactPath}")]
    public static partial void ArtifactDeleted(ILogger logger, string artifactPath);

    [LoggerMessage(EventId = 4102, EventName = "ArtifactDownloaded", Level = LogLevel.Debug,
        Message = "Sent {ByteCount} bytes of artifact {ArtifactPath} starting at byte {Offset}")]
    public static partial void ArtifactDownloaded(ILogger logger, string artifactPath, long byteCount, long offset);

    [LoggerMessage(EventId = 4103, EventName = "ArtifactRequestRejected", Level = LogLevel.Information,
        Message = "Rejected {Method} {RequestPath} with {StatusCode} {ErrorCode}: {Reason}")]
    public static partial void RequestRejected(ILogger logger, string method, string requestPath, int statusCode, string errorCode, string reason);

    [LoggerMessage(EventId = 4104, EventName = "ArtifactRequestFailed", Level = LogLevel.Error,
        Message = "Artifact request {Method} {RequestPath} failed")]
    public static partial void RequestFailed(ILogger logger, Exception exception, string method, string requestPath);

    [LoggerMessage(EventId = 4105, EventName = "ArtifactRequestAborted", Level = LogLevel.Warning,
        Message = "Artifact request {Method} {RequestPath} stopped because the client disconnected or sent an incomplete body")]
    public static partial void RequestAborted(ILogger logger, Exception exception, string method, string requestPath);
}
