using Platform.Models.Ffm.Training;

namespace Platform.Workers.Training.Ffm;

/// <summary>The options of <c>train ffm</c>, with libffm's flag meanings and defaults.</summary>
public sealed record TrainFfmArguments
{
    public required string TrainPath { get; init; }

    public string? ValidationPath { get; init; }

    public string? WeightsPath { get; init; }

    public required FfmTrainingOptions Training { get; init; }

    public string Experiment { get; init; } = "ffm";

    public string? RegisteredModelName { get; init; }

    /// <summary>Folder for the model file, the summary and checkpoints; a new temporary folder when null.</summary>
    public string? OutputDirectory { get; init; }
}
