namespace Platform.Tracking.Client;

/// <summary>MLflow experiment calls (<c>/api/2.0/mlflow/experiments/*</c>).</summary>
public sealed class ExperimentsClient
{
    private readonly MlflowTransport _transport;

    internal ExperimentsClient(MlflowTransport transport) => _transport = transport;

    /// <summary>Creates an experiment and returns its id. A taken name raises <see cref="MlflowException"/> with RESOURCE_ALREADY_EXISTS.</summary>
    public async Task<string> CreateAsync(
        string name, string? artifactLocation = null, IReadOnlyDictionary<string, string>? tags = null, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        var request = new CreateExperimentRequest(name, artifactLocation, tags?.Select(t => new ExperimentTag(t.Key, t.Value)).ToList());
        var response = await _transport.SendJsonAsync(
            HttpMethod.Post, "experiments/create", request,
            MlflowJsonContext.Default.CreateExperimentRequest, MlflowJsonContext.Default.CreateExperimentResponse,
            cancellationToken).ConfigureAwait(false);
        return response.ExperimentId;
    }

    /// <summary>Gets an experiment by id. An unknown id raises RESOURCE_DOES_NOT_EXIST.</summary>
    public async Task<Experiment> GetAsync(string experimentId, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(experimentId);
        var response = await _transport.GetJsonAsync(
            "experiments/get", new QueryParameters().Add("experiment_id", experimentId),
            MlflowJsonContext.Default.GetExperimentResponse, cancellationToken).ConfigureAwait(false);
        return response.Experiment;
    }

    /// <summary>Gets an experiment by name, or null when the server returns RESOURCE_DOES_NOT_EXIST.</summary>
    public async Task<Experiment?> GetByNameAsync(string name, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        try
        {
            var response = await _transport.GetJsonAsync(
                "experiments/get-by-name", new QueryParameters().Add("experiment_name", name),
                MlflowJsonContext.Default.GetExperimentResponse, cancellationToken).ConfigureAwait(false);
            return response.Experiment;
        }
        catch (MlflowException ex) when (ex.IsResourceDoesNotExist)
        {
            return null;
        }
    }

    /// <summary>
    /// Returns the id of the experiment named <paramref name="name"/>, creating it when missing. When another client
    /// creates it at the same moment, the RESOURCE_ALREADY_EXISTS error is followed by a second lookup.
    /// </summary>
    public async Task<string> GetOrCreateAsync(string name, CancellationToken cancellationToken = default)
    {
        if (await GetByNameAsync(name, cancellationToken).ConfigureAwait(false) is { } existing)
        {
            return existing.ExperimentId;
        }

        try
        {
            return await CreateAsync(name, cancellationToken: cancellationToken).ConfigureAwait(false);
        }
        catch (MlflowException ex) when (ex.ErrorCode == MlflowErrorCodes.ResourceAlreadyExists)
        {
            var created = await GetByNameAsync(name, cancellationToken).ConfigureAwait(false);
            return created?.ExperimentId ?? throw new InvalidOperationException(
                $"Experiment '{name}' was reported as existing but get-by-name does not find it; it may have been deleted meanwhile.", ex);
        }
    }

    /// <summary>Returns one page of experiments. Pass <see cref="SearchExperimentsResponse.NextPageToken"/> for the next page.</summary>
    public Task<SearchExperimentsResponse> SearchAsync(
        string? filter = null,
        IReadOnlyList<string>? orderBy = null,
        int maxResults = 1000,
        string? pageToken = null,
        ViewType viewType = ViewType.ActiveOnly,
        CancellationToken cancellationToken = default)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(maxResults, 1);
        var request = new SearchExperimentsRequest(maxResults, pageToken, filter, orderBy, viewType);
        return _transport.SendJsonAsync(
            HttpMethod.Post, "experiments/search", request,
            MlflowJsonContext.Default.SearchExperimentsRequest, MlflowJsonContext.Default.SearchExperimentsResponse,
            cancellationToken);
    }

    /// <summary>Marks an experiment deleted.</summary>
    public Task DeleteAsync(string experimentId, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(experimentId);
        return _transport.SendJsonAsync(
            HttpMethod.Post, "experiments/delete", new CreateExperimentResponse(experimentId),
            MlflowJsonContext.Default.CreateExperimentResponse, MlflowJsonContext.Default.EmptyMessage, cancellationToken);
    }
}
