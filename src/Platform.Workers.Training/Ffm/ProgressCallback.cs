using System.Globalization;
using Microsoft.Extensions.Logging;
using Platform.Training;

namespace Platform.Workers.Training.Ffm;

/// <summary>
/// Shows progress: a redrawn bar on an interactive terminal, one log line per epoch when the
/// output is redirected (CI logs and containers).
/// </summary>
internal sealed class ProgressCallback(ILogger logger, TextWriter terminal, bool interactive) : ITrainingCallback
{
    private const int BarWidth = 30;

    public ValueTask OnEpochEndAsync(TrainingContext context, EpochMetrics metrics, CancellationToken cancellationToken)
    {
        var text = string.Join(", ", metrics.Values.Select(pair => string.Create(CultureInfo.InvariantCulture, $"{pair.Key} {pair.Value:F5}")));
        if (!interactive)
        {
            TrainingLog.EpochFinished(logger, metrics.Epoch, context.MaxEpochs, text, metrics.Duration.TotalSeconds);
            return ValueTask.CompletedTask;
        }

        var filled = BarWidth * metrics.Epoch / context.MaxEpochs;
        terminal.Write(string.Create(
            CultureInfo.InvariantCulture,
            $"\r[{new string('#', filled)}{new string('.', BarWidth - filled)}] epoch {metrics.Epoch}/{context.MaxEpochs} {text}"));
        return ValueTask.CompletedTask;
    }

    public ValueTask OnTrainingEndAsync(TrainingContext context, TrainingResult result, CancellationToken cancellationToken)
    {
        if (interactive)
        {
            terminal.WriteLine();
        }

        if (result.StopReason is not null)
        {
            TrainingLog.StoppedEarly(logger, result.StopReason);
        }

        return ValueTask.CompletedTask;
    }
}
