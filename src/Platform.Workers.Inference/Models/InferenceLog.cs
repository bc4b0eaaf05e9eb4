namespace Platform.Workers.Inference.Models;

/// <summary>Log messages of the inference worker.</summary>
internal static partial class InferenceLog
{
    [LoggerMessage(1, LogLevel.Information, "Serving model {Name} version {Version} (n = {Features}, m = {Fields}, k = {K}) from {ModelUri}")]
    public static partial void ModelLoaded(ILogger logger, string name, string version, int features, int fields, int k, string modelUri);

    [LoggerMessage(2, LogLevel.Error, "Loading {ModelUri} failed; still serving version {Version}, retrying in {PollInterval}")]
    public static partial void LoadFailed(ILogger logger, Exception exception, string modelUri, string version, TimeSpan pollInterval);

    [LoggerMessage(3, LogLevel.Information, "Model refresh for {ModelUri} started, polling every {PollInterval}")]
    public static partial void RefreshStarted(ILogger logger, string modelUri, TimeSpan pollInterval);

    [LoggerMessage(4, LogLevel.Information, "Model refresh for {ModelUri} stopped")]
    public static partial void RefreshStopped(ILogger logger, string modelUri);

    [LoggerMessage(5, LogLevel.Warning, "Rejected prediction request for model {Name}: {Message}")]
    public static partial void RequestRejected(ILogger logger, string name, string message);
}
