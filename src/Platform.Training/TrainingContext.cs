namespace Platform.Training;

/// <summary>The state of a training run that callbacks read and update.</summary>
public sealed class TrainingContext
{
    private readonly List<EpochMetrics> _history = [];

    internal TrainingContext(ITrainable trainable, int maxEpochs)
    {
        Trainable = trainable;
        MaxEpochs = maxEpochs;
    }

    /// <summary>The model being trained.</summary>
    public ITrainable Trainable { get; }

    /// <summary>The maximum number of epochs of this run.</summary>
    public int MaxEpochs { get; }

    /// <summary>The current epoch, numbered from 1; 0 before the first epoch.</summary>
    public int Epoch { get; internal set; }

    /// <summary>The metrics of every finished epoch, oldest first.</summary>
    public IReadOnlyList<EpochMetrics> History => _history;

    /// <summary>Whether a callback asked to stop after the current epoch.</summary>
    public bool StopRequested { get; private set; }

    /// <summary>The reason given by the callback that stopped training.</summary>
    public string? StopReason { get; private set; }

    /// <summary>
    /// The epoch whose parameters the model contains. Callbacks that restore a snapshot set it to the
    /// snapshot's epoch; otherwise it follows <see cref="Epoch"/>.
    /// </summary>
    public int ModelEpoch { get; set; }

    /// <summary>Asks the engine to stop after the current epoch's callbacks have run.</summary>
    public void RequestStop(string reason)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(reason);
        if (!StopRequested)
        {
            StopRequested = true;
            StopReason = reason;
        }
    }

    internal void AddEpoch(EpochMetrics metrics) => _history.Add(metrics);
}
