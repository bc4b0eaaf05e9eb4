using Platform.Tracking.Storage;

namespace Platform.Tracking.Api;

/// <summary>Handlers of the <c>metrics/*</c> routes.</summary>
internal sealed class MetricHandlers
{
    private readonly ITrackingStore _store;

    public MetricHandlers(ITrackingStore store)
    {
        ArgumentNullException.ThrowIfNull(store);

        _store = store;
    }

    public void Register(IDictionary<string, MlflowEndpoint> routes)
    {
        routes["metrics/get-history"] = new(["GET"], GetHistoryAsync);
        routes["metrics/get-history-bulk-interval"] = new(["GET"], GetHistoryBulkIntervalAsync);
    }

    private async Task GetHistoryAsync(HttpContext context, RequestMessage message)
    {
        var runId = RequestParsing.GetRunId(message);
        var key = message.RequireString("metric_key");

        // Without max_results the stock server returns the whole history, so this does too.
        var maxResults = RequestParsing.GetMaxResults(message, int.MaxValue - 1, TrackingLimits.MetricHistoryMaxResults);
        var page = await _store.GetMetricHistoryAsync(runId, key, maxResults, message.GetString("page_token"), context.RequestAborted);
        await JsonResults.WritePageAsync(context, "metrics", page, (writer, metric) => EntityJsonWriter.WriteMetric(writer, metric, null));
    }

    private async Task GetHistoryBulkIntervalAsync(HttpContext context, RequestMessage message)
    {
        var runIds = message.GetStringList("run_ids");
        if (runIds.Count == 0)
        {
            throw FieldReader.Missing("run_ids");
        }

        if (runIds.Count > TrackingLimits.BulkIntervalMaxRuns)
        {
            throw TrackingException.InvalidParameter(
                $"GetMetricHistoryBulkInterval request must specify at most {TrackingLimits.BulkIntervalMaxRuns} run_ids. Received {runIds.Count} run_ids.");
        }

        foreach (var runId in runIds)
        {
            TrackingValidator.ValidateRunId(runId);
        }

        var key = message.RequireString("metric_key");
        var startStep = message.GetInt64("start_step");
        var endStep = message.GetInt64("end_step");
        if ((startStep is null) != (endStep is null))
        {
            throw TrackingException.InvalidParameter("If either start step or end step are specified, both must be specified.");
        }

        if (startStep > endStep)
        {
            throw TrackingException.InvalidParameter($"end_step ({endStep}) must be greater than or equal to start_step ({startStep}).");
        }

        var maxResults = RequestParsing.GetMaxResults(message, TrackingLimits.BulkIntervalMaxResults, TrackingLimits.BulkIntervalMaxResults);
        var metrics = await _store.GetMetricHistoryBulkIntervalAsync(runIds, key, startStep, endStep, maxResults, context.RequestAborted);
        await JsonResults.WriteObjectAsync(context, writer =>
        {
            writer.WriteStartArray("metrics");
            foreach (var item in metrics)
            {
                EntityJsonWriter.WriteMetric(writer, item.Metric, item.RunId);
            }

            writer.WriteEndArray();
        });
    }
}
