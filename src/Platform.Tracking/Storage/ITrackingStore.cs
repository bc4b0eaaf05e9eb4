using Platform.Tracking.Model;
using Platform.Tracking.Search;

namespace Platform.Tracking.Storage;

/// <summary>
/// The metadata store behind the MLflow API. Methods throw <see cref="Api.TrackingException"/> with MLflow's
/// error codes for expected failures (not found, already exists, deleted run) and never for bad SQL.
/// </summary>
public interface ITrackingStore
{
    /// <summary>Creates or upgrades the schema. It is safe when several processes start at once.</summary>
    Task MigrateAsync(CancellationToken cancellationToken);

    /// <summary>Checks that the database responds, for the readiness probe.</summary>
    Task PingAsync(CancellationToken cancellationToken);

    Task<string> CreateExperimentAsync(string name, string? artifactLocation, IReadOnlyList<KeyValue> tags, CancellationToken cancellationToken);

    Task<Experiment> GetExperimentAsync(string experimentId, CancellationToken cancellationToken);

    Task<Experiment> GetExperimentByNameAsync(string name, CancellationToken cancellationToken);

    Task<Page<Experiment>> SearchExperimentsAsync(ExperimentSearchQuery query, CancellationToken cancellationToken);

    Task RenameExperimentAsync(string experimentId, string newName, CancellationToken cancellationToken);

    /// <summary>Marks an experiment and its runs deleted, or restores them.</summary>
    Task SetExperimentLifecycleAsync(string experimentId, bool deleted, CancellationToken cancellationToken);

    Task SetExperimentTagAsync(string experimentId, KeyValue tag, CancellationToken cancellationToken);

    Task DeleteExperimentTagAsync(string experimentId, string key, CancellationToken cancellationToken);

    Task<Run> CreateRunAsync(NewRun run, CancellationToken cancellationToken);

    Task<Run> GetRunAsync(string runId, CancellationToken cancellationToken);

    Task<RunInfo> UpdateRunAsync(RunUpdate update, CancellationToken cancellationToken);

    Task SetRunLifecycleAsync(string runId, bool deleted, CancellationToken cancellationToken);

    /// <summary>
    /// Writes metrics, params and tags of one run in one transaction, all or nothing. Exact duplicate metric
    /// points and re-logged equal params are ignored, so a retried request succeeds.
    /// </summary>
    Task LogBatchAsync(string runId, IReadOnlyList<Metric> metrics, IReadOnlyList<KeyValue> parameters, IReadOnlyList<KeyValue> tags, CancellationToken cancellationToken);

    Task DeleteTagAsync(string runId, string key, CancellationToken cancellationToken);

    /// <summary>Links datasets and logged models to a run as its inputs; linking the same one twice keeps one link.</summary>
    Task LogInputsAsync(string runId, IReadOnlyList<DatasetInput> inputs, IReadOnlyList<ModelInput> modelInputs, CancellationToken cancellationToken);

    Task<Page<Run>> SearchRunsAsync(RunSearchQuery query, CancellationToken cancellationToken);

    Task<Page<Metric>> GetMetricHistoryAsync(string runId, string key, int maxResults, string? pageToken, CancellationToken cancellationToken);

    /// <summary>Returns up to <paramref name="maxResults"/> sampled steps per run in [startStep, endStep], always keeping the first and last step.</summary>
    Task<IReadOnlyList<RunMetric>> GetMetricHistoryBulkIntervalAsync(IReadOnlyList<string> runIds, string key, long? startStep, long? endStep, int maxResults, CancellationToken cancellationToken);
}
