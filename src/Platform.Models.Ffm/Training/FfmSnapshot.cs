using Platform.Training;

namespace Platform.Models.Ffm.Training;

/// <summary>A copy of an FFM model's weights and AdaGrad accumulators after one epoch.</summary>
internal sealed class FfmSnapshot(int epoch, float[] parameters) : ITrainingSnapshot
{
    public int Epoch { get; set; } = epoch;

    public float[] Parameters { get; } = parameters;
}
