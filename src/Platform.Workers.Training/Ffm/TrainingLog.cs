using Microsoft.Extensions.Logging;

namespace Platform.Workers.Training.Ffm;

/// <summary>Log messages of the training worker.</summary>
internal static partial class TrainingLog
{
    [LoggerMessage(1, LogLevel.Information, "Loaded {Name}: {Rows} rows, n = {Features}, m = {Fields} from {Path}")]
    public static partial void DataLoaded(ILogger logger, string name, int rows, int features, int fields, string path);

    [LoggerMessage(2, LogLevel.Information, "Started run {RunId} in experiment {ExperimentId}")]
    public static partial void RunStarted(ILogger logger, string runId, string experimentId);

    [LoggerMessage(3, LogLevel.Information, "Epoch {Epoch}/{MaxEpochs}: {Metrics} ({Seconds:F2} s)")]
    public static partial void EpochFinished(ILogger logger, int epoch, int maxEpochs, string metrics, double seconds);

    [LoggerMessage(4, LogLevel.Information, "Training stopped early: {Reason}")]
    public static partial void StoppedEarly(ILogger logger, string reason);

    [LoggerMessage(5, LogLevel.Information, "Logged checkpoint of epoch {Epoch} as artifact {ArtifactPath}")]
    public static partial void CheckpointLogged(ILogger logger, int epoch, string artifactPath);

    [LoggerMessage(6, LogLevel.Information, "Registered model {Name} version {Version} from run {RunId}")]
    public static partial void ModelRegistered(ILogger logger, string name, string version, string runId);

    [LoggerMessage(7, LogLevel.Error, "Training failed in run {RunId}")]
    public static partial void TrainingFailed(ILogger logger, Exception exception, string runId);

    [LoggerMessage(8, LogLevel.Warning, "Training cancelled in run {RunId}; ending the run as KILLED")]
    public static partial void TrainingCancelled(ILogger logger, string runId);
}
