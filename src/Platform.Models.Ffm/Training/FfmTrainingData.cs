using Platform.Models.Ffm.Data;

namespace Platform.Models.Ffm.Training;

/// <summary>
/// The data of a training run. Importance weights, when given, hold one weight per row of their
/// set: the training loss of a row is multiplied by its weight, and validation logloss becomes the
/// weighted mean.
/// </summary>
public sealed record FfmTrainingData(
    FfmProblem Train,
    FfmProblem? Validation = null,
    float[]? TrainWeights = null,
    float[]? ValidationWeights = null);
