namespace Platform.Models.Ffm.Model;

/// <summary>
/// Calibration for negative down-sampling: when negatives were kept with rate w, the model's
/// probability p over-estimates positives and p' = p / (p + (1 − p) / w) corrects it.
/// </summary>
public static class NdsCalibration
{
    /// <summary>
    /// Returns p' for score t: p = σ(t), so p' = σ(t + ln w), which stays exact where p is close to 0 or 1.
    /// </summary>
    public static double Probability(double score, double ndsRate) =>
        Sigmoid(ndsRate == 1 ? score : score + Math.Log(ndsRate));

    /// <summary>Applies the calibration to a probability, in the form p / (p + (1 − p) / w).</summary>
    public static double Calibrate(double probability, double ndsRate) =>
        probability / (probability + ((1 - probability) / ndsRate));

    /// <summary>Returns the logistic loss log(1 + e^(−y·t')) of the calibrated score t' = t + ln w, for y = ±1.</summary>
    public static double LogisticLoss(double score, float label, double ndsRate)
    {
        var calibrated = ndsRate == 1 ? score : score + Math.Log(ndsRate);
        return Math.Log(1 + Math.Exp(-label * calibrated));
    }

    private static double Sigmoid(double score) => 1 / (1 + Math.Exp(-score));
}
