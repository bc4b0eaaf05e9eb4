namespace Platform.Training;

/// <summary>An in-memory copy of a model's parameters, created and read only by its <see cref="ITrainable"/>.</summary>
public interface ITrainingSnapshot
{
    /// <summary>The epoch whose parameters the snapshot contains.</summary>
    int Epoch { get; }
}
