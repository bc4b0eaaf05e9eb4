using System.Globalization;
using Platform.Models.Ffm.Training;

namespace Platform.Workers.Training.Ffm;

/// <summary>Parses <c>train ffm ...</c>; raises <see cref="ArgumentException"/> with a message that names the bad option.</summary>
public static class TrainFfmCommandLine
{
    public const string Usage = """
        usage: train ffm --train <file> [--validation <file> | -p <file>] [options]

          --train <file>            training data, libffm text (label field:feature:value ...)
          --validation, -p <file>   validation data; prints and logs validation logloss and AUC per epoch
          -l <lambda>               L2 regularisation (default 0.00002)
          -k <k>                    latent dimension (default 4)
          -t <epochs>               maximum epochs (default 15)
          -r <eta>                  AdaGrad learning rate (default 0.2)
          -s <threads>              training threads, lock-free (default 1)
          --auto-stop               stop when validation logloss gets worse and keep the best epoch
          --patience <epochs>       epochs without improvement before auto-stop (default 1)
          --no-norm                 turn off instance-wise normalisation
          --weights <file>          one importance weight per training row
          --nds-rate <w>            negative down-sampling rate for calibration (default 1 = none)
          --checkpoint-every <n>    log a model checkpoint as an artifact every n epochs (default 0 = none)
          --experiment <name>       MLflow experiment (default ffm)
          --register-model <name>   register the trained model under this name
          --output <folder>         where the model file and summary are written (default: a new temp folder)

        The tracking server comes from MLFLOW_TRACKING_URI (and MLFLOW_TRACKING_TOKEN).
        """;

    /// <summary>Parses the arguments that follow the program name.</summary>
    public static TrainFfmArguments Parse(IReadOnlyList<string> args)
    {
        if (args.Count < 2 || args[0] != "train" || args[1] != "ffm")
        {
            throw new ArgumentException("Expected the command 'train ffm'.");
        }

        var training = new FfmTrainingOptions();
        string? trainPath = null;
        string? validationPath = null;
        string? weightsPath = null;
        string? registeredModel = null;
        string? output = null;
        var experiment = "ffm";
        for (var i = 2; i < args.Count; i++)
        {
            var option = args[i];
            switch (option)
            {
                case "--auto-stop":
                    training.AutoStop = true;
                    continue;
                case "--no-norm":
                    training.Normalization = false;
                    continue;
            }

            var value = i + 1 < args.Count ? args[++i] : throw new ArgumentException($"Option {option} needs a value.");
            switch (option)
            {
                case "--train":
                    trainPath = value;
                    break;
                case "--validation" or "-p":
                    validationPath = value;
                    break;
                case "-l":
                    training.Lambda = ParseFloat(option, value);
                    break;
                case "-k":
                    training.LatentDimension = ParseInt(option, value);
                    break;
                case "-t":
                    training.Epochs = ParseInt(option, value);
                    break;
                case "-r":
                    training.LearningRate = ParseFloat(option, value);
                    break;
                case "-s":
                    training.Threads = ParseInt(option, value);
                    break;
                case "--patience":
                    training.AutoStopPatience = ParseInt(option, value);
                    break;
                case "--weights":
                    weightsPath = value;
                    break;
                case "--nds-rate":
                    training.NdsRate = ParseFloat(option, value);
                    break;
                case "--checkpoint-every":
                    training.CheckpointInterval = ParseInt(option, value);
                    break;
                case "--experiment":
                    experiment = value;
                    break;
                case "--register-model":
                    registeredModel = value;
                    break;
                case "--output":
                    output = value;
                    break;
                default:
                    throw new ArgumentException($"Unknown option '{option}'.");
            }
        }

        if (trainPath is null)
        {
            throw new ArgumentException("Missing --train <file>.");
        }

        if (training.AutoStop && validationPath is null)
        {
            throw new ArgumentException("--auto-stop needs a validation set; add --validation <file>.");
        }

        // Checkpoints need a folder; the job sets it under the output folder, so a placeholder passes validation here.
        training.CheckpointDirectory = training.CheckpointInterval > 0 ? "checkpoints" : null;
        training.Validate();
        return new TrainFfmArguments
        {
            TrainPath = trainPath,
            ValidationPath = validationPath,
            WeightsPath = weightsPath,
            Training = training,
            Experiment = experiment,
            RegisteredModelName = registeredModel,
            OutputDirectory = output,
        };
    }

    private static int ParseInt(string option, string value) =>
        int.TryParse(value, NumberStyles.Integer, CultureInfo.InvariantCulture, out var number)
            ? number
            : throw new ArgumentException($"Option {option} needs an integer, got '{value}'.");

    private static float ParseFloat(string option, string value) =>
        float.TryParse(value, NumberStyles.Float, CultureInfo.InvariantCulture, out var number)
            ? number
            : throw new ArgumentException($"Option {option} needs a number, got '{value}'.");
}
