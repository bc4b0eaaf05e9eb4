namespace Platform.Tracking.Api;

/// <summary>Validation limits of MLflow's tracking server (mlflow/utils/validation.py, MLflow 2.1x and later).</summary>
internal static class TrackingLimits
{
    public const int MaxMetricsPerBatch = 1000;
    public const int MaxParamsTagsPerBatch = 100;
    public const int MaxEntitiesPerBatch = 1000;
    public const int MaxBatchRequestBytes = 1_000_000;
    public const int MaxEntityKeyLength = 250;
    public const int MaxParamValueLength = 6000;
    public const int MaxTagValueLength = 8000;
    public const int MaxExperimentNameLength = 500;
    public const int MaxExperimentTagKeyLength = 250;
    public const int MaxExperimentTagValueLength = 5000;
    public const int MaxDatasetsPerBatch = 1000;
    public const int MaxDatasetNameLength = 500;
    public const int MaxDatasetDigestLength = 36;
    public const int MaxDatasetSourceLength = 65_535;
    public const int MaxDatasetSchemaLength = 1_048_575;
    public const int MaxDatasetProfileLength = 16_777_215;
    public const int MaxInputTagKeyLength = 255;
    public const int MaxInputTagValueLength = 500;

    /// <summary>Maximum length of a logged model id. Ids from logged-models/create are 34 characters ("m-" and 32 hex digits).</summary>
    public const int MaxModelIdLength = 36;

    /// <summary>Default and maximum page sizes of runs/search and experiments/search (mlflow/store/tracking/__init__.py).</summary>
    public const int SearchMaxResultsDefault = 1000;
    public const int SearchMaxResultsThreshold = 50_000;

    /// <summary>Maximum page size of metrics/get-history. The Python client requests pages of 25,000 points.</summary>
    public const int MetricHistoryMaxResults = 25_000;

    /// <summary>Limits of metrics/get-history-bulk-interval (mlflow/server/handlers.py).</summary>
    public const int BulkIntervalMaxRuns = 100;
    public const int BulkIntervalMaxResults = 2500;

    /// <summary>Body size limit of every request except log-batch, which keeps MLflow's 1 MB.</summary>
    public const int MaxRequestBytes = 32 * 1024 * 1024;
}
