using System.Globalization;

namespace Platform.Training;

/// <summary>
/// Stops training once a metric has not improved for <c>patience</c> epochs in a row, then restores
/// the parameters of the best epoch. An epoch that equals the best value counts as an improvement,
/// as libffm 1.21's <c>--auto-stop</c> does (it stops only when the loss is strictly worse).
/// </summary>
public sealed class EarlyStoppingCallback : ITrainingCallback
{
    private readonly string _metricName;
    private readonly bool _minimize;
    private readonly int _patience;
    private ITrainingSnapshot? _best;
    private double _bestValue;
    private int _epochsWithoutImprovement;

    /// <param name="metricName">The metric to watch, for example <c>validation_logloss</c>.</param>
    /// <param name="minimize">True when lower values are better.</param>
    /// <param name="patience">How many epochs in a row without improvement stop training; libffm uses 1.</param>
    public EarlyStoppingCallback(string metricName, bool minimize, int patience)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(metricName);
        if (patience < 1)
        {
            throw new ArgumentOutOfRangeException(nameof(patience), patience, "Patience must be at least 1 epoch.");
        }

        _metricName = metricName;
        _minimize = minimize;
        _patience = patience;
    }

    /// <summary>The epoch with the best metric value so far; 0 before the first epoch.</summary>
    public int BestEpoch { get; private set; }

    /// <summary>The best metric value so far.</summary>
    public double BestValue => _bestValue;

    public ValueTask OnTrainingStartAsync(TrainingContext context, CancellationToken cancellationToken)
    {
        _best = null;
        BestEpoch = 0;
        _bestValue = _minimize ? double.PositiveInfinity : double.NegativeInfinity;
        _epochsWithoutImprovement = 0;
        return ValueTask.CompletedTask;
    }

    public ValueTask OnEpochEndAsync(TrainingContext context, EpochMetrics metrics, CancellationToken cancellationToken)
    {
        var value = metrics.Get(_metricName);
        var improved = _minimize ? !(value > _bestValue) : !(value < _bestValue);
        if (improved && !double.IsNaN(value))
        {
            _bestValue = value;
            BestEpoch = metrics.Epoch;
            _epochsWithoutImprovement = 0;
            _best = context.Trainable.CaptureSnapshot(_best);
            return ValueTask.CompletedTask;
        }

        _epochsWithoutImprovement++;
        if (_epochsWithoutImprovement >= _patience && _best is not null)
        {
            context.Trainable.RestoreSnapshot(_best);
            context.ModelEpoch = _best.Epoch;
            context.RequestStop(string.Create(
                CultureInfo.InvariantCulture,
                $"{_metricName} did not improve for {_patience} epoch(s); restored epoch {BestEpoch} ({_metricName} = {_bestValue:G6})."));
        }

        return ValueTask.CompletedTask;
    }
}
