using Microsoft.Extensions.Logging;

namespace Platform.Tracking.Client;

/// <summary>Source-generated log messages of the tracking client. None of them carries a credential.</summary>
internal static partial class ClientLog
{
    [LoggerMessage(1, LogLevel.Warning, "Retrying MLflow request {Method} {Path} ({Retry}/{MaxRetries}) in {DelayMs} ms after {Reason}")]
    public static partial void RetryingRequest(ILogger logger, string method, string? path, int retry, int maxRetries, long delayMs, string reason);

    [LoggerMessage(2, LogLevel.Information, "Started run {RunId} in experiment {ExperimentId}")]
    public static partial void RunStarted(ILogger logger, string runId, string experimentId);

    [LoggerMessage(3, LogLevel.Information, "Ended run {RunId} with status {Status}")]
    public static partial void RunEnded(ILogger logger, string runId, RunStatus status);

    [LoggerMessage(4, LogLevel.Error, "Background flush of {Count} metrics of run {RunId} failed; the metrics stay buffered for the next flush")]
    public static partial void BackgroundFlushFailed(ILogger logger, Exception exception, string runId, int count);

    [LoggerMessage(5, LogLevel.Error, "Server rejected {Count} metrics of run {RunId}; they are dropped")]
    public static partial void MetricsRejected(ILogger logger, Exception exception, string runId, int count);

    [LoggerMessage(6, LogLevel.Debug, "Uploaded artifact {ArtifactPath} ({Bytes} bytes)")]
    public static partial void ArtifactUploaded(ILogger logger, string artifactPath, long bytes);

    [LoggerMessage(7, LogLevel.Information, "Downloaded model {ModelName} version {Version} to {Folder}")]
    public static partial void ModelDownloaded(ILogger logger, string modelName, string version, string folder);

    [LoggerMessage(8, LogLevel.Debug, "Model {ModelName} version {Version} found in the cache at {Folder}")]
    public static partial void ModelCacheHit(ILogger logger, string modelName, string version, string folder);

    [LoggerMessage(9, LogLevel.Error, "Ending run {RunId} as {Status} failed")]
    public static partial void RunEndFailed(ILogger logger, Exception exception, string runId, RunStatus status);

    [LoggerMessage(10, LogLevel.Error, "Ending run {RunId} as {Status} timed out after {Seconds} s, so the run stays RUNNING on the server")]
    public static partial void RunEndTimedOut(ILogger logger, string runId, RunStatus status, double seconds);
}
