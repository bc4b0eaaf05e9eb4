using Platform.Tracking.Client;
using Microsoft.Extensions.Logging;
using Platform.Training;

namespace Platform.Workers.Training.Ffm;

/// <summary>Uploads each checkpoint the engine writes as the run artifact <c>checkpoints/&lt;file&gt;</c>.</summary>
internal sealed class CheckpointArtifactCallback(ActiveRun run, ILogger logger) : ITrainingCallback
{
    public async ValueTask OnCheckpointAsync(TrainingContext context, TrainingCheckpoint checkpoint, CancellationToken cancellationToken)
    {
        await run.LogArtifactAsync(checkpoint.Path, "checkpoints", cancellationToken).ConfigureAwait(false);
        TrainingLog.CheckpointLogged(logger, checkpoint.Epoch, "checkpoints/" + Path.GetFileName(checkpoint.Path));
    }
}
