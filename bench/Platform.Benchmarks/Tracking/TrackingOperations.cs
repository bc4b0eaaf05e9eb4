namespace Platform.Benchmarks.Tracking;

/// <summary>
/// The operations of the FastTrackML benchmark (its k6 scripts), with published reference means in milliseconds.
/// MLflow 2.17 and FastTrackML figures are FastTrackML's published numbers, measured on other hardware, so they are context, not a like-for-like comparison.
/// </summary>
internal static class TrackingOperations
{
    public const string CreateRun = "CreateRun";
    public const string LogMetricBatch10 = "LogMetricBatch10";
    public const string LogMetricBatch500 = "LogMetricBatch500";
    public const string LogParamBatch10 = "LogParamBatch10";
    public const string LogParamBatch100 = "LogParamBatch100";
    public const string SearchRuns = "SearchRuns";
    public const string SearchExperiments = "SearchExperiments";
    public const string MetricHistory = "MetricHistory";

    public static readonly IReadOnlyList<string> All =
        [CreateRun, LogMetricBatch10, LogMetricBatch500, LogParamBatch10, LogParamBatch100, SearchRuns, SearchExperiments, MetricHistory];

    public static readonly IReadOnlyDictionary<string, (double Mlflow, double FastTrackMl)> ReferenceMeans = new Dictionary<string, (double, double)>
    {
        [CreateRun] = (301, 50),
        [LogMetricBatch10] = (301, 125),
        [LogMetricBatch500] = (542, 250),
        [LogParamBatch10] = (364, 12),
        [LogParamBatch100] = (308, 25),
        [SearchRuns] = (326, 20),
        [SearchExperiments] = (148, 3),
        [MetricHistory] = (103, 33),
    };
}
