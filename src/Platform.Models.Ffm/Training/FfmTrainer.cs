using Platform.Models.Ffm.Model;
using Platform.Training;

namespace Platform.Models.Ffm.Training;

/// <summary>
/// Trains a field-aware factorization machine as libffm 1.21 does: SGD over shuffled instances with
/// per-coordinate AdaGrad and lazy L2 on the weights each instance touches. With one thread and a
/// seed the run is deterministic.
/// </summary>
public sealed class FfmTrainer(FfmTrainingOptions options)
{
    /// <summary>
    /// Trains on <paramref name="data"/>. The callbacks run after every epoch in the order given;
    /// with <see cref="FfmTrainingOptions.AutoStop"/> an <see cref="EarlyStoppingCallback"/> on
    /// validation logloss runs after them.
    /// </summary>
    public async Task<FfmTrainingResult> TrainAsync(
        FfmTrainingData data, IEnumerable<ITrainingCallback>? callbacks, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(data);
        options.Validate();
        Check(data);

        var trainable = new FfmTrainable(data, options);
        var allCallbacks = new List<ITrainingCallback>(callbacks ?? []);
        if (options.AutoStop)
        {
            allCallbacks.Add(new EarlyStoppingCallback(FfmMetricNames.ValidationLogloss, minimize: true, options.AutoStopPatience));
        }

        var engine = new TrainingEngine(
            new TrainingEngineOptions { MaxEpochs = options.Epochs, CheckpointInterval = options.CheckpointInterval },
            allCallbacks);
        var run = await engine.RunAsync(trainable, cancellationToken).ConfigureAwait(false);
        return new FfmTrainingResult(trainable.Model, run);
    }

    private void Check(FfmTrainingData data)
    {
        if (options.AutoStop && data.Validation is null)
        {
            throw new ArgumentException("Auto-stop needs a validation set; pass one or turn AutoStop off.", nameof(data));
        }

        if (data.TrainWeights is not null && data.TrainWeights.Length != data.Train.RowCount)
        {
            throw new ArgumentException(
                $"Got {data.TrainWeights.Length} training weights for {data.Train.RowCount} training rows; give exactly one weight per row.", nameof(data));
        }

        if (data.ValidationWeights is not null && (data.Validation is null || data.ValidationWeights.Length != data.Validation.RowCount))
        {
            throw new ArgumentException(
                $"Got {data.ValidationWeights.Length} validation weights for {data.Validation?.RowCount ?? 0} validation rows; give exactly one weight per row.", nameof(data));
        }

        // libffm would silently skip such fields; a field the model has no weights for is almost always a data mix-up.
        if (data.Validation is not null && data.Validation.FieldCount > data.Train.FieldCount)
        {
            throw new FfmModelMismatchException(
                $"The validation data uses field ids up to {data.Validation.FieldCount - 1} but the training data only has m = {data.Train.FieldCount} fields; both sets must use the same field ids.");
        }
    }
}
