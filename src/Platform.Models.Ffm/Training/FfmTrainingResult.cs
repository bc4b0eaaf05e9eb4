using Platform.Models.Ffm.Model;
using Platform.Training;

namespace Platform.Models.Ffm.Training;

/// <summary>The trained model and the run's per-epoch history.</summary>
public sealed record FfmTrainingResult(FfmModel Model, TrainingResult Run);
