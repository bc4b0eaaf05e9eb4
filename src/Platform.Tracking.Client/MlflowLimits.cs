namespace Platform.Tracking.Client;

/// <summary>Batch limits that MLflow servers enforce on <c>runs/log-batch</c> (mlflow/utils/validation.py, MLflow 2.x).</summary>
public static class MlflowLimits
{
    /// <summary>Maximum metrics in one log-batch request.</summary>
    public const int MaxMetricsPerBatch = 1000;

    /// <summary>Maximum params, and separately tags, in one log-batch request.</summary>
    public const int MaxParamsTagsPerBatch = 100;
}
