namespace Platform.Models.Ffm.Model;

/// <summary>The training loss recorded in a model file.</summary>
public enum FfmLoss : byte
{
    /// <summary>Logistic loss log(1 + e^(−y·t)), libffm's only loss.</summary>
    Logistic = 0,

    /// <summary>Logistic loss multiplied by a per-row importance weight (CyberAgentAI's libffm <c>-W</c>).</summary>
    WeightedLogistic = 1,
}
