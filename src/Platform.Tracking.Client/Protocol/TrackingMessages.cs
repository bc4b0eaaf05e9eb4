namespace Platform.Tracking.Client;

// Request and response bodies of the MLflow tracking service (service.proto, MLflow 2.x).

internal sealed record EmptyMessage;

internal sealed record CreateExperimentRequest(string Name, string? ArtifactLocation, IReadOnlyList<ExperimentTag>? Tags);

internal sealed record CreateExperimentResponse(string ExperimentId);

internal sealed record GetExperimentResponse(Experiment Experiment);

internal sealed record SearchExperimentsRequest(
    long? MaxResults, string? PageToken, string? Filter, IReadOnlyList<string>? OrderBy, ViewType? ViewType);

/// <summary>One page of experiments. <see cref="NextPageToken"/> is null on the last page.</summary>
public sealed record SearchExperimentsResponse
{
    public IReadOnlyList<Experiment> Experiments { get; set; } = [];
    public string? NextPageToken { get; init; }
}

internal sealed record CreateRunRequest(string ExperimentId, string? UserId, string? RunName, long StartTime, IReadOnlyList<RunTag> Tags);

internal sealed record GetRunResponse(Run Run);

internal sealed record UpdateRunRequest(string RunId, string RunUuid, RunStatus? Status, long? EndTime, string? RunName);

internal sealed record UpdateRunResponse(RunInfo RunInfo);

internal sealed record RunIdRequest(string RunId);

internal sealed record LogParamRequest(string RunId, string RunUuid, string Key, string Value);

internal sealed record SetTagRequest(string RunId, string RunUuid, string Key, string Value);

internal sealed record DeleteTagRequest(string RunId, string Key);

internal sealed record LogBatchRequest(
    string RunId, IReadOnlyList<Metric>? Metrics, IReadOnlyList<Param>? Params, IReadOnlyList<RunTag>? Tags);

internal sealed record SearchRunsRequest(
    IReadOnlyList<string> ExperimentIds, string? Filter, ViewType? RunViewType, int? MaxResults,
    IReadOnlyList<string>? OrderBy, string? PageToken);

/// <summary>One page of runs. <see cref="NextPageToken"/> is null on the last page.</summary>
public sealed record SearchRunsResponse
{
    public IReadOnlyList<Run> Runs { get; set; } = [];
    public string? NextPageToken { get; init; }
}

internal sealed record GetMetricHistoryResponse
{
    public IReadOnlyList<Metric> Metrics { get; set; } = [];
    public string? NextPageToken { get; init; }
}

internal sealed record ListArtifactsResponse
{
    public IReadOnlyList<ArtifactFileInfo> Files { get; set; } = [];
}
