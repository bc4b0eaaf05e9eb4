using Platform.Tracking.Model;

namespace Platform.Tracking.Registry.Traces;

/// <summary>Stores MLflow 3 trace metadata; span data goes to the artifact store, which the client writes directly.</summary>
public interface ITraceStore
{
    /// <summary>Inserts the trace, or replaces it when a client retries with the same trace id.</summary>
    Task<TraceInfo> StartAsync(TraceInfo trace, CancellationToken cancellationToken);

    Task<TraceInfo> GetAsync(string traceId, CancellationToken cancellationToken);

    Task<Page<TraceInfo>> SearchAsync(TraceSearchQuery query, CancellationToken cancellationToken);

    /// <summary>Deletes the given traces, or the oldest traces before a time, of one experiment; returns how many went.</summary>
    Task<int> DeleteAsync(string experimentId, IReadOnlyList<string> traceIds, long? maxTimestampMillis, int? maxTraces, CancellationToken cancellationToken);

    Task SetTagAsync(string traceId, KeyValue tag, CancellationToken cancellationToken);

    Task DeleteTagAsync(string traceId, string key, CancellationToken cancellationToken);

    Task LinkToRunAsync(string runId, IReadOnlyList<string> traceIds, CancellationToken cancellationToken);

    /// <summary>Stores an assessment (a JSON object) under a new or existing id; the caller fills the server-owned fields.</summary>
    Task SaveAssessmentAsync(string traceId, string assessmentId, string body, long createTime, CancellationToken cancellationToken);

    Task<string> GetAssessmentAsync(string traceId, string assessmentId, CancellationToken cancellationToken);

    Task DeleteAssessmentAsync(string traceId, string assessmentId, CancellationToken cancellationToken);
}
