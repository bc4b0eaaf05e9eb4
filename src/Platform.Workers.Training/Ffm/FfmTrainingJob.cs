using System.Globalization;
using System.Net;
using System.Text.Json;
using Microsoft.Extensions.Logging;
using Platform.Models.Ffm.Data;
using Platform.Models.Ffm.Model;
using Platform.Models.Ffm.Training;
using Platform.Tracking.Client;
using Platform.Training;

namespace Platform.Workers.Training.Ffm;

/// <summary>
/// Runs <c>train ffm</c>: loads the data, trains inside an MLflow run, logs params, per-epoch metrics,
/// the model file (<c>model/model.ffm</c>) and <c>summary.json</c>, and registers a model version.
/// </summary>
public sealed class FfmTrainingJob(TrackingClient client, ILogger<FfmTrainingJob> logger, TextWriter terminal, bool interactive)
{
    /// <summary>The artifact folder of the model file, which a registered version points at.</summary>
    public const string ModelArtifactPath = "model";

    /// <summary>The model file name inside <see cref="ModelArtifactPath"/>.</summary>
    public const string ModelFileName = "model.ffm";

    /// <summary>Trains and returns the summary that was logged.</summary>
    public async Task<TrainingSummary> RunAsync(TrainFfmArguments arguments, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(arguments);
        var output = arguments.OutputDirectory ?? Directory.CreateTempSubdirectory("ffm-train-").FullName;
        Directory.CreateDirectory(output);
        arguments.Training.CheckpointDirectory = Path.Combine(output, "checkpoints");

        var data = await LoadDataAsync(arguments, cancellationToken).ConfigureAwait(false);
        var experimentId = await client.Experiments.GetOrCreateAsync(arguments.Experiment, cancellationToken).ConfigureAwait(false);
        await using var run = await client.StartRunAsync(experimentId, "train-ffm", cancellationToken: cancellationToken).ConfigureAwait(false);
        TrainingLog.RunStarted(logger, run.RunId, experimentId);
        try
        {
            return await TrainInRunAsync(run, arguments, data, output, cancellationToken).ConfigureAwait(false);
        }
        catch (OperationCanceledException exception) when (cancellationToken.IsCancellationRequested)
        {
            // The run scope ends a run that was cancelled this way as KILLED.
            TrainingLog.TrainingCancelled(logger, run.RunId);
            run.MarkFailed(exception);
            throw;
        }
        catch (Exception exception)
        {
            TrainingLog.TrainingFailed(logger, exception, run.RunId);
            run.MarkFailed(exception);
            throw;
        }
    }

    private async Task<TrainingSummary> TrainInRunAsync(
        ActiveRun run, TrainFfmArguments arguments, FfmTrainingData data, string output, CancellationToken cancellationToken)
    {
        await run.LogParamsAsync(Parameters(arguments, data), cancellationToken).ConfigureAwait(false);

        ITrainingCallback[] callbacks =
        [
            new MetricLoggingCallback(run),
            new CheckpointArtifactCallback(run, logger),
            new ProgressCallback(logger, terminal, interactive),
        ];
        var result = await new FfmTrainer(arguments.Training).TrainAsync(data, callbacks, cancellationToken).ConfigureAwait(false);
        using var model = result.Model;

        var modelFolder = Path.Combine(output, ModelArtifactPath);
        Directory.CreateDirectory(modelFolder);
        await FfmModelFile.SaveAsync(model, Path.Combine(modelFolder, ModelFileName), cancellationToken).ConfigureAwait(false);
        await run.LogArtifactsAsync(modelFolder, ModelArtifactPath, cancellationToken).ConfigureAwait(false);
        await run.FlushAsync(cancellationToken).ConfigureAwait(false);

        string? version = null;
        if (arguments.RegisteredModelName is { } name)
        {
            version = await RegisterAsync(name, run.RunId, cancellationToken).ConfigureAwait(false);
        }

        var history = result.Run.History;
        var summary = new TrainingSummary(
            run.RunId,
            result.Run.EpochsRun,
            result.Run.FinalEpoch,
            result.Run.StopReason,
            history[result.Run.FinalEpoch - 1].Values,
            [.. history.Select(epoch => epoch.Values)],
            arguments.RegisteredModelName,
            version);
        var summaryPath = Path.Combine(output, "summary.json");
        await File.WriteAllTextAsync(summaryPath, JsonSerializer.Serialize(summary, TrainingSummaryJsonContext.Default.TrainingSummary), cancellationToken).ConfigureAwait(false);
        await run.LogArtifactAsync(summaryPath, cancellationToken: cancellationToken).ConfigureAwait(false);
        return summary;
    }

    private async Task<string> RegisterAsync(string name, string runId, CancellationToken cancellationToken)
    {
        try
        {
            await client.Registry.CreateRegisteredModelAsync(name, cancellationToken: cancellationToken).ConfigureAwait(false);
        }
        catch (MlflowException error) when (error.ErrorCode == MlflowErrorCodes.ResourceAlreadyExists || error.StatusCode == HttpStatusCode.Conflict)
        {
            // The name is registered already; the new version is added to it.
        }

        var version = await client.Registry.CreateModelVersionFromRunAsync(name, runId, ModelArtifactPath, cancellationToken: cancellationToken).ConfigureAwait(false);
        TrainingLog.ModelRegistered(logger, name, version.Version, runId);
        return version.Version;
    }

    private async Task<FfmTrainingData> LoadDataAsync(TrainFfmArguments arguments, CancellationToken cancellationToken)
    {
        var train = await FfmTextParser.ParseFileAsync(arguments.TrainPath, null, cancellationToken).ConfigureAwait(false);
        TrainingLog.DataLoaded(logger, "training data", train.RowCount, train.FeatureCount, train.FieldCount, arguments.TrainPath);
        FfmProblem? validation = null;
        if (arguments.ValidationPath is { } validationPath)
        {
            validation = await FfmTextParser.ParseFileAsync(validationPath, null, cancellationToken).ConfigureAwait(false);
            TrainingLog.DataLoaded(logger, "validation data", validation.RowCount, validation.FeatureCount, validation.FieldCount, validationPath);
        }

        var weights = arguments.WeightsPath is { } weightsPath
            ? await ImportanceWeights.ReadFileAsync(weightsPath, train.RowCount, cancellationToken).ConfigureAwait(false)
            : null;
        return new FfmTrainingData(train, validation, weights);
    }

    private static Dictionary<string, string> Parameters(TrainFfmArguments arguments, FfmTrainingData data)
    {
        var options = arguments.Training;
        return new Dictionary<string, string>(StringComparer.Ordinal)
        {
            ["lambda"] = options.Lambda.ToString("R", CultureInfo.InvariantCulture),
            ["k"] = options.LatentDimension.ToString(CultureInfo.InvariantCulture),
            ["epochs"] = options.Epochs.ToString(CultureInfo.InvariantCulture),
            ["eta"] = options.LearningRate.ToString("R", CultureInfo.InvariantCulture),
            ["threads"] = options.Threads.ToString(CultureInfo.InvariantCulture),
            ["normalization"] = options.Normalization ? "true" : "false",
            ["auto_stop"] = options.AutoStop ? "true" : "false",
            ["patience"] = options.AutoStopPatience.ToString(CultureInfo.InvariantCulture),
            ["nds_rate"] = options.NdsRate.ToString("R", CultureInfo.InvariantCulture),
            ["importance_weights"] = arguments.WeightsPath is null ? "false" : "true",
            ["train_rows"] = data.Train.RowCount.ToString(CultureInfo.InvariantCulture),
            ["validation_rows"] = (data.Validation?.RowCount ?? 0).ToString(CultureInfo.InvariantCulture),
            ["features"] = data.Train.FeatureCount.ToString(CultureInfo.InvariantCulture),
            ["fields"] = data.Train.FieldCount.ToString(CultureInfo.InvariantCulture),
        };
    }
}
