using System.Text.Json.Serialization;

namespace Platform.Workers.Training.Ffm;

/// <summary>The <c>summary.json</c> artifact of a training run.</summary>
public sealed record TrainingSummary(
    string RunId,
    int EpochsRun,
    int FinalEpoch,
    string? StopReason,
    IReadOnlyDictionary<string, double> FinalMetrics,
    IReadOnlyList<IReadOnlyDictionary<string, double>> History,
    string? RegisteredModelName,
    string? RegisteredModelVersion);

[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.SnakeCaseLower, WriteIndented = true)]
[JsonSerializable(typeof(TrainingSummary))]
internal sealed partial class TrainingSummaryJsonContext : JsonSerializerContext;
