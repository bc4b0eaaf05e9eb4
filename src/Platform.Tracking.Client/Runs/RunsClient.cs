namespace Platform.Tracking.Client;

/// <summary>MLflow run calls (<c>/api/2.0/mlflow/runs/*</c> and <c>metrics/get-history</c>).</summary>
public sealed class RunsClient
{
    private const int MetricHistoryPageSize = 25_000;

    private readonly MlflowTransport _transport;

    internal RunsClient(MlflowTransport transport) => _transport = transport;

    /// <summary>Creates a run in RUNNING state with the current time as start time.</summary>
    public async Task<Run> CreateAsync(
        string experimentId, string? runName = null, IReadOnlyDictionary<string, string>? tags = null, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(experimentId);
        var tagList = tags?.Select(t => new RunTag(t.Key, t.Value)).ToList() ?? [];
        var request = new CreateRunRequest(experimentId, UserId: null, runName, _transport.NowMilliseconds, tagList);
        var response = await _transport.SendJsonAsync(
            HttpMethod.Post, "runs/create", request,
            MlflowJsonContext.Default.CreateRunRequest, MlflowJsonContext.Default.GetRunResponse, cancellationToken).ConfigureAwait(false);
        return response.Run;
    }

    /// <summary>Gets a run with its latest metrics, params and tags.</summary>
    public async Task<Run> GetAsync(string runId, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(runId);
        var response = await _transport.GetJsonAsync(
            "runs/get", new QueryParameters().Add("run_id", runId).Add("run_uuid", runId),
            MlflowJsonContext.Default.GetRunResponse, cancellationToken).ConfigureAwait(false);
        return response.Run;
    }

    /// <summary>Sets the status and end time (milliseconds since the Unix epoch) of a run.</summary>
    public async Task<RunInfo> UpdateAsync(
        string runId, RunStatus? status, long? endTime = null, string? runName = null, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(runId);
        var response = await _transport.SendJsonAsync(
            HttpMethod.Post, "runs/update", new UpdateRunRequest(runId, runId, status, endTime, runName),
            MlflowJsonContext.Default.UpdateRunRequest, MlflowJsonContext.Default.UpdateRunResponse, cancellationToken).ConfigureAwait(false);
        return response.RunInfo;
    }

    /// <summary>Marks a run deleted.</summary>
    public Task DeleteAsync(string runId, CancellationToken cancellationToken = default) =>
        PostAsync("runs/delete", new RunIdRequest(runId), MlflowJsonContext.Default.RunIdRequest, cancellationToken);

    /// <summary>Logs one parameter. Logging a different value for an existing key raises INVALID_PARAMETER_VALUE.</summary>
    public Task LogParamAsync(string runId, string key, string value, CancellationToken cancellationToken = default) =>
        PostAsync("runs/log-parameter", new LogParamRequest(runId, runId, key, value), MlflowJsonContext.Default.LogParamRequest, cancellationToken);

    /// <summary>Sets a run tag, overwriting an existing value.</summary>
    public Task SetTagAsync(string runId, string key, string value, CancellationToken cancellationToken = default) =>
        PostAsync("runs/set-tag", new SetTagRequest(runId, runId, key, value), MlflowJsonContext.Default.SetTagRequest, cancellationToken);

    /// <summary>Deletes a run tag.</summary>
    public Task DeleteTagAsync(string runId, string key, CancellationToken cancellationToken = default) =>
        PostAsync("runs/delete-tag", new DeleteTagRequest(runId, key), MlflowJsonContext.Default.DeleteTagRequest, cancellationToken);

    /// <summary>
    /// Logs metrics, params and tags through <c>runs/log-batch</c>, split so that no request exceeds
    /// <see cref="MlflowLimits.MaxMetricsPerBatch"/> metrics or <see cref="MlflowLimits.MaxParamsTagsPerBatch"/> params or tags.
    /// Requests are sent in order, so metrics keep their order. A failure leaves earlier requests written.
    /// </summary>
    public async Task LogBatchAsync(
        string runId,
        IReadOnlyList<Metric>? metrics = null,
        IReadOnlyList<Param>? parameters = null,
        IReadOnlyList<RunTag>? tags = null,
        CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(runId);
        metrics ??= [];
        parameters ??= [];
        tags ??= [];
        var paramTagRequests = Math.Max(parameters.Count, tags.Count);
        for (var offset = 0; offset < paramTagRequests; offset += MlflowLimits.MaxParamsTagsPerBatch)
        {
            var request = new LogBatchRequest(runId, null, Slice(parameters, offset, MlflowLimits.MaxParamsTagsPerBatch), Slice(tags, offset, MlflowLimits.MaxParamsTagsPerBatch));
            await PostAsync("runs/log-batch", request, MlflowJsonContext.Default.LogBatchRequest, cancellationToken).ConfigureAwait(false);
        }

        for (var offset = 0; offset < metrics.Count; offset += MlflowLimits.MaxMetricsPerBatch)
        {
            var request = new LogBatchRequest(runId, Slice(metrics, offset, MlflowLimits.MaxMetricsPerBatch), null, null);
            await PostAsync("runs/log-batch", request, MlflowJsonContext.Default.LogBatchRequest, cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>Returns one page of runs of the given experiments. Pass <see cref="SearchRunsResponse.NextPageToken"/> for the next page.</summary>
    public Task<SearchRunsResponse> SearchAsync(
        IReadOnlyList<string> experimentIds,
        string? filter = null,
        IReadOnlyList<string>? orderBy = null,
        int maxResults = 1000,
        string? pageToken = null,
        ViewType viewType = ViewType.ActiveOnly,
        CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(experimentIds);
        ArgumentOutOfRangeException.ThrowIfLessThan(maxResults, 1);
        var request = new SearchRunsRequest(experimentIds, filter, viewType, maxResults, orderBy, pageToken);
        return _transport.SendJsonAsync(
            HttpMethod.Post, "runs/search", request,
            MlflowJsonContext.Default.SearchRunsRequest, MlflowJsonContext.Default.SearchRunsResponse, cancellationToken);
    }

    /// <summary>Returns every point of one metric of a run, following <c>next_page_token</c> until the last page.</summary>
    public async Task<IReadOnlyList<Metric>> GetMetricHistoryAsync(string runId, string metricKey, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(runId);
        ArgumentException.ThrowIfNullOrWhiteSpace(metricKey);
        var points = new List<Metric>();
        string? pageToken = null;
        do
        {
            var query = new QueryParameters()
                .Add("run_id", runId).Add("run_uuid", runId).Add("metric_key", metricKey)
                .Add("max_results", MetricHistoryPageSize).Add("page_token", pageToken);
            var page = await _transport.GetJsonAsync(
                "metrics/get-history", query, MlflowJsonContext.Default.GetMetricHistoryResponse, cancellationToken).ConfigureAwait(false);
            points.AddRange(page.Metrics);
            pageToken = string.IsNullOrEmpty(page.NextPageToken) ? null : page.NextPageToken;
        }
        while (pageToken is not null);

        return points;
    }

    private Task PostAsync<T>(string endpoint, T request, System.Text.Json.Serialization.Metadata.JsonTypeInfo<T> type, CancellationToken cancellationToken) =>
        _transport.SendJsonAsync(HttpMethod.Post, endpoint, request, type, MlflowJsonContext.Default.EmptyMessage, cancellationToken);

    private static List<T>? Slice<T>(IReadOnlyList<T> items, int offset, int count)
    {
        if (offset >= items.Count)
        {
            return null;
        }

        var slice = new List<T>(Math.Min(count, items.Count - offset));
        for (var i = offset; i < items.Count && i < offset + count; i++)
        {
            slice.Add(items[i]);
        }

        return slice;
    }
}
