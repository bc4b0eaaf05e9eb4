using Platform.Models.Ffm.Kernels;

namespace Platform.Models.Ffm.Training;

/// <summary>Hyperparameters of <see cref="FfmTrainer"/>; the defaults are libffm 1.21's.</summary>
public sealed class FfmTrainingOptions
{
    /// <summary>λ, the L2 regularisation of the weights an instance touches (<c>-l</c>).</summary>
    public float Lambda { get; set; } = 0.00002f;

    /// <summary>k, the latent dimension (<c>-k</c>).</summary>
    public int LatentDimension { get; set; } = 4;

    /// <summary>The maximum number of epochs (<c>-t</c>).</summary>
    public int Epochs { get; set; } = 15;

    /// <summary>η, the AdaGrad learning rate (<c>-r</c>).</summary>
    public float LearningRate { get; set; } = 0.2f;

    /// <summary>Threads updating the shared weights without locks (Hogwild, <c>-s</c>); results vary between runs above 1.</summary>
    public int Threads { get; set; } = 1;

    /// <summary>Whether each instance is scaled to unit length (off with libffm's <c>--no-norm</c>).</summary>
    public bool Normalization { get; set; } = true;

    /// <summary>Stop when validation logloss gets worse and keep the best epoch's weights (<c>--auto-stop</c>).</summary>
    public bool AutoStop { get; set; }

    /// <summary>Epochs in a row without improvement before auto-stop ends training; libffm uses 1.</summary>
    public int AutoStopPatience { get; set; } = 1;

    /// <summary>Whether rows are visited in a new random order every epoch, as libffm does.</summary>
    public bool Shuffle { get; set; } = true;

    /// <summary>Seed of the weight initialiser and of the shuffle; libffm's fixed behaviour is seed 1.</summary>
    public uint Seed { get; set; } = 1;

    /// <summary>Negative down-sampling rate w applied to validation predictions and stored in the model; 1 = none.</summary>
    public float NdsRate { get; set; } = 1f;

    /// <summary>Instruction width of the latent products.</summary>
    public FfmSimdPath SimdPath { get; set; } = FfmSimdPath.Auto;

    /// <summary>Writes a checkpoint every this many epochs into <see cref="CheckpointDirectory"/>; 0 writes none.</summary>
    public int CheckpointInterval { get; set; }

    /// <summary>The folder for checkpoint files, required when <see cref="CheckpointInterval"/> is above 0.</summary>
    public string? CheckpointDirectory { get; set; }

    /// <summary>Raises <see cref="ArgumentException"/> naming the first invalid option.</summary>
    public void Validate()
    {
        Require(LatentDimension > 0, nameof(LatentDimension), LatentDimension, "k must be at least 1.");
        Require(Epochs > 0, nameof(Epochs), Epochs, "the number of epochs must be at least 1.");
        Require(LearningRate > 0 && float.IsFinite(LearningRate), nameof(LearningRate), LearningRate, "the learning rate must be a finite number above 0.");
        Require(Lambda >= 0 && float.IsFinite(Lambda), nameof(Lambda), Lambda, "λ must be a finite number of at least 0.");
        Require(Threads > 0, nameof(Threads), Threads, "the thread count must be at least 1.");
        Require(AutoStopPatience > 0, nameof(AutoStopPatience), AutoStopPatience, "the patience must be at least 1 epoch.");
        Require(NdsRate > 0 && float.IsFinite(NdsRate), nameof(NdsRate), NdsRate, "the negative down-sampling rate must be a finite number above 0; 1 means none.");
        Require(CheckpointInterval >= 0, nameof(CheckpointInterval), CheckpointInterval, "the checkpoint interval must be 0 (none) or positive.");
        if (CheckpointInterval > 0 && string.IsNullOrWhiteSpace(CheckpointDirectory))
        {
            throw new ArgumentException("CheckpointDirectory must be set when CheckpointInterval is above 0.", nameof(CheckpointDirectory));
        }
    }

    private static void Require(bool condition, string name, object value, string message)
    {
        if (!condition)
        {
            throw new ArgumentOutOfRangeException(name, value, $"Invalid {name} {value}: {message}");
        }
    }
}
