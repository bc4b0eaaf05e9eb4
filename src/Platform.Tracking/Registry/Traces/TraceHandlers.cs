using System.Text.Json;
using System.Text.RegularExpressions;
using Platform.Tracking.Api;
using Platform.Tracking.Model;
using Platform.Tracking.Registry.Api;
using Platform.Tracking.Storage;

namespace Platform.Tracking.Registry.Traces;

/// <summary>Handlers of MLflow 3's trace routes: start, get, search, delete, tags and run links (TraceInfoV3 wire).</summary>
internal sealed partial class TraceHandlers : IAddOnRoutes
{
    /// <summary>Tag with the trace's artifact folder, where the client uploads the span data.</summary>
    public const string ArtifactLocationTag = "mlflow.artifactLocation";

    /// <summary>Default and maximum page size of traces/search; MLflow's store defaults to 100 and caps at 500.</summary>
    public const int SearchMaxResultsDefault = 100;
    public const int SearchMaxResultsThreshold = 500;

    private const int MaxTagKeyLength = 250;
    private const int MaxTagValueLength = 8000;

    private readonly ITraceStore _store;
    private readonly ITrackingStore _tracking;
    private readonly TimeProvider _time;

    public TraceHandlers(ITraceStore store, ITrackingStore tracking, TimeProvider time)
    {
        ArgumentNullException.ThrowIfNull(store);
        ArgumentNullException.ThrowIfNull(tracking);
        ArgumentNullException.ThrowIfNull(time);

        _store = store;
        _tracking = tracking;
        _time = time;
    }

    public void Register(AddOnApiRouter router)
    {
        ArgumentNullException.ThrowIfNull(router);

        router.Add("POST", "3.0/mlflow/traces", StartAsync);
        router.Add("GET", "3.0/mlflow/traces/{trace_id}", GetAsync);
        router.Add("POST", "3.0/mlflow/traces/search", SearchAsync);
        foreach (var version in new[] { "2.0", "3.0" })
        {
            router.Add("POST", $"{version}/mlflow/traces/delete-traces", DeleteAsync);
            router.Add("PATCH", $"{version}/mlflow/traces/{{trace_id}}/tags", SetTagAsync);
            router.Add("DELETE", $"{version}/mlflow/traces/{{trace_id}}/tags", DeleteTagAsync);
            router.Add("POST", $"{version}/mlflow/traces/link-to-run", LinkToRunAsync);
        }
    }

    private async Task StartAsync(AddOnRequest request)
    {
        var info = RequireObject(RequireObject(request.Body, "trace", "trace"), "trace_info", "trace.trace_info");
        var experimentId = ReadExperimentId(info);
        var experiment = await _tracking.GetExperimentAsync(experimentId, request.Aborted);

        var traceId = FieldReader.GetString(info, "trace_id", "trace.trace_info.trace_id");
        if (string.IsNullOrEmpty(traceId))
        {
            traceId = "tr-" + Guid.NewGuid().ToString("N");
        }
        else if (!TraceIdPattern().IsMatch(traceId))
        {
            throw TrackingException.InvalidParameter(
                $"Invalid trace ID '{traceId}': expected 'tr-' followed by letters, digits, '_' or '-', at most 64 characters in all.");
        }

        var requestTime = FieldReader.GetString(info, "request_time", "trace.trace_info.request_time") is { Length: > 0 } time
            ? ProtoTime.ParseTimestamp(time, "trace.trace_info.request_time")
            : _time.GetUtcNow().ToUnixTimeMilliseconds();
        var duration = FieldReader.GetString(info, "execution_duration", "trace.trace_info.execution_duration") is { Length: > 0 } text
            ? ProtoTime.ParseDuration(text, "trace.trace_info.execution_duration")
            : (long?)null;
        var state = TraceStates.Parse(info.TryGetProperty("state", out var stateElement) && stateElement.ValueKind == JsonValueKind.Number
            ? stateElement.GetRawText()
            : FieldReader.GetString(info, "state", "trace.trace_info.state"));

        var tags = ReadMap(info, "tags", "trace.trace_info.tags");
        foreach (var tag in tags)
        {
            ValidateTag(tag.Key, tag.Value);
        }

        tags.RemoveAll(tag => tag.Key == ArtifactLocationTag);
        tags.Add(new KeyValue(ArtifactLocationTag, $"{experiment.ArtifactLocation.TrimEnd('/')}/traces/{traceId}/artifacts"));

        var trace = await _store.StartAsync(
            new TraceInfo(
                traceId,
                experimentId,
                FieldReader.GetString(info, "client_request_id", "trace.trace_info.client_request_id"),
                requestTime,
                duration,
                state,
                FieldReader.GetString(info, "request_preview", "trace.trace_info.request_preview"),
                FieldReader.GetString(info, "response_preview", "trace.trace_info.response_preview"),
                ReadMap(info, "trace_metadata", "trace.trace_info.trace_metadata"),
                tags,
                []),
            request.Aborted);
        await WriteTraceAsync(request, trace);
    }

    private async Task GetAsync(AddOnRequest request)
    {
        await WriteTraceAsync(request, await _store.GetAsync(request.GetPathValue("trace_id"), request.Aborted));
    }

    private async Task SearchAsync(AddOnRequest request)
    {
        var message = request.Message;
        var experimentIds = new List<string>(message.GetStringList("experiment_ids"));
        var locations = message.GetObjectList("locations");
        for (var i = 0; i < locations.Count; i++)
        {
            var path = $"locations[{i}]";
            var experiment = RequireObject(locations[i], "mlflow_experiment", path + ".mlflow_experiment");
            experimentIds.Add(FieldReader.RequireString(experiment, "experiment_id", path + ".mlflow_experiment.experiment_id"));
        }

        if (experimentIds.Count == 0)
        {
            throw TrackingException.InvalidParameter(
                "Missing value for required parameter 'locations': name at least one experiment, as in [{\"type\": \"MLFLOW_EXPERIMENT\", \"mlflow_experiment\": {\"experiment_id\": \"1\"}}].");
        }

        var query = new TraceSearchQuery(
            experimentIds,
            TraceSearchRules.ParseFilter(message.GetString("filter")),
            TraceSearchRules.ParseOrderBy(message.GetStringList("order_by")),
            RequestParsing.GetMaxResults(message, SearchMaxResultsDefault, SearchMaxResultsThreshold),
            message.GetString("page_token"));
        var page = await _store.SearchAsync(query, request.Aborted);
        await JsonResults.WritePageAsync(request.Context, "traces", page, TraceJsonWriter.WriteTraceInfo);
    }

    private async Task DeleteAsync(AddOnRequest request)
    {
        var message = request.Message;
        var experimentId = RequestParsing.GetExperimentId(message);
        var traceIds = message.GetStringList("request_ids").Concat(message.GetStringList("trace_ids")).ToList();
        var maxTimestamp = message.GetInt64("max_timestamp_millis");
        var maxTraces = message.GetInt64("max_traces");
        if ((traceIds.Count > 0) == (maxTimestamp is not null))
        {
            throw TrackingException.InvalidParameter(
                "Exactly one of 'max_timestamp_millis' and 'request_ids' must be specified: delete by age or by id, not both or neither.");
        }

        if (maxTraces is < 1 or > int.MaxValue)
        {
            throw TrackingException.InvalidParameter($"Invalid value {maxTraces} for parameter 'max_traces': it must be a positive integer.");
        }

        var deleted = await _store.DeleteAsync(experimentId, traceIds, maxTimestamp, (int?)maxTraces, request.Aborted);
        await JsonResults.WriteObjectAsync(request.Context, writer => writer.WriteNumber("traces_deleted", deleted));
    }

    private async Task SetTagAsync(AddOnRequest request)
    {
        var message = request.Message;
        var key = message.RequireString("key");
        var value = message.GetString("value") ?? throw FieldReader.Missing("value");
        ValidateTag(key, value);
        await _store.SetTagAsync(request.GetPathValue("trace_id"), new KeyValue(key, value), request.Aborted);
        await JsonResults.WriteEmptyAsync(request.Context);
    }

    private async Task DeleteTagAsync(AddOnRequest request)
    {
        // Clients send the key in the JSON body; a query string key is accepted too, since DELETE bodies are unusual.
        var key = request.Message.GetString("key");
        if (string.IsNullOrEmpty(key))
        {
            key = request.Context.Request.Query["key"].ToString();
        }

        if (string.IsNullOrEmpty(key))
        {
            throw FieldReader.Missing("key");
        }

        await _store.DeleteTagAsync(request.GetPathValue("trace_id"), key, request.Aborted);
        await JsonResults.WriteEmptyAsync(request.Context);
    }

    private async Task LinkToRunAsync(AddOnRequest request)
    {
        var message = request.Message;
        var runId = RequestParsing.GetRunId(message);
        var traceIds = message.GetStringList("trace_ids");
        if (traceIds.Count == 0)
        {
            throw FieldReader.Missing("trace_ids");
        }

        await _tracking.GetRunAsync(runId, request.Aborted);
        await _store.LinkToRunAsync(runId, traceIds, request.Aborted);
        await JsonResults.WriteEmptyAsync(request.Context);
    }

    private static string ReadExperimentId(JsonElement info)
    {
        var location = RequireObject(info, "trace_location", "trace.trace_info.trace_location");
        var type = FieldReader.GetString(location, "type", "trace.trace_info.trace_location.type");
        if (type is not (null or "" or "MLFLOW_EXPERIMENT"))
        {
            throw TrackingException.InvalidParameter(
                $"Invalid value '{type}' for parameter 'trace.trace_info.trace_location.type': this server stores traces only in experiments (MLFLOW_EXPERIMENT).");
        }

        var experiment = RequireObject(location, "mlflow_experiment", "trace.trace_info.trace_location.mlflow_experiment");
        var experimentId = FieldReader.RequireString(experiment, "experiment_id", "trace.trace_info.trace_location.mlflow_experiment.experiment_id");
        TrackingValidator.ValidateExperimentId(experimentId);
        return experimentId;
    }

    private static JsonElement RequireObject(JsonElement parent, string name, string path) =>
        parent.ValueKind == JsonValueKind.Object && parent.TryGetProperty(name, out var element) && element.ValueKind == JsonValueKind.Object
            ? element
            : throw FieldReader.Missing(path);

    /// <summary>Reads a proto map&lt;string, string&gt;, which proto3 JSON sends as an object.</summary>
    private static List<KeyValue> ReadMap(JsonElement parent, string name, string path)
    {
        var entries = new List<KeyValue>();
        if (!parent.TryGetProperty(name, out var map) || map.ValueKind == JsonValueKind.Null)
        {
            return entries;
        }

        if (map.ValueKind != JsonValueKind.Object)
        {
            throw FieldReader.WrongType(path, "a JSON object of string values", map);
        }

        foreach (var property in map.EnumerateObject())
        {
            entries.Add(new KeyValue(property.Name, property.Value.ValueKind == JsonValueKind.String
                ? property.Value.GetString()!
                : throw FieldReader.WrongType($"{path}.{property.Name}", "a string", property.Value)));
        }

        return entries;
    }

    private static void ValidateTag(string key, string value)
    {
        if (key.Length == 0)
        {
            throw FieldReader.Missing("key");
        }

        TrackingValidator.ValidateLength("Trace tag key", key, MaxTagKeyLength);
        TrackingValidator.ValidateLength($"Trace tag value for key '{key}'", value, MaxTagValueLength);
    }

    private static Task WriteTraceAsync(AddOnRequest request, TraceInfo trace) =>
        JsonResults.WriteObjectAsync(request.Context, writer =>
        {
            writer.WriteStartObject("trace");
            writer.WritePropertyName("trace_info");
            TraceJsonWriter.WriteTraceInfo(writer, trace);
            writer.WriteEndObject();
        });

    [GeneratedRegex(@"^tr-[\w\-]{1,61}$")]
    private static partial Regex TraceIdPattern();
}
