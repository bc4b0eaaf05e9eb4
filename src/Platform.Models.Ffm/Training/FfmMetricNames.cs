namespace Platform.Models.Ffm.Training;

/// <summary>Names of the metrics each FFM epoch reports.</summary>
public static class FfmMetricNames
{
    /// <summary>Mean logistic loss of the training rows, each taken before its own update (as libffm prints tr_logloss).</summary>
    public const string TrainLogloss = "train_logloss";

    /// <summary>Mean logistic loss of the validation rows after the epoch, with the negative down-sampling calibration.</summary>
    public const string ValidationLogloss = "validation_logloss";

    /// <summary>ROC AUC of the validation rows after the epoch.</summary>
    public const string ValidationAuc = "validation_auc";
}
