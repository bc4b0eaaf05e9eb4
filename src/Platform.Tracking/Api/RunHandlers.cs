using System.Text.Json;
using Platform.Tracking.Hosting;
using Platform.Tracking.Model;
using Platform.Tracking.Search;
using Platform.Tracking.Storage;

namespace Platform.Tracking.Api;

/// <summary>Handlers of the <c>runs/*</c> routes.</summary>
internal sealed class RunHandlers
{
    private const string RunNameTag = "mlflow.runName";
    private const string UserTag = "mlflow.user";

    private readonly ITrackingStore _store;
    private readonly GatewayIdentity _identity;
    private readonly TimeProvider _time;
    private readonly TrackingMetrics _metrics;

    public RunHandlers(ITrackingStore store, GatewayIdentity identity, TimeProvider time, TrackingMetrics metrics)
    {
        ArgumentNullException.ThrowIfNull(store);
        ArgumentNullException.ThrowIfNull(identity);
        ArgumentNullException.ThrowIfNull(time);
        ArgumentNullException.ThrowIfNull(metrics);

        _store = store;
        _identity = identity;
        _time = time;
        _metrics = metrics;
    }

    public void Register(IDictionary<string, MlflowEndpoint> routes)
    {
        routes["runs/create"] = new(["POST"], CreateAsync);
        routes["runs/get"] = new(["GET"], GetAsync);
        routes["runs/update"] = new(["POST"], UpdateAsync);
        routes["runs/delete"] = new(["POST"], DeleteAsync);
        routes["runs/restore"] = new(["POST"], RestoreAsync);
        routes["runs/search"] = new(["POST"], SearchAsync);
        routes["runs/log-metric"] = new(["POST"], LogMetricAsync);
        routes["runs/log-parameter"] = new(["POST"], LogParameterAsync);
        routes["runs/set-tag"] = new(["POST"], SetTagAsync);
        routes["runs/delete-tag"] = new(["POST"], DeleteTagAsync);
        routes["runs/log-batch"] = new(["POST"], LogBatchAsync, TrackingLimits.MaxBatchRequestBytes);
        routes["runs/log-inputs"] = new(["POST"], LogInputsAsync);
    }

    private async Task CreateAsync(HttpContext context, RequestMessage message)
    {
        var experimentId = message.GetString("experiment_id");
        experimentId = string.IsNullOrEmpty(experimentId) ? "0" : experimentId;
        TrackingValidator.ValidateExperimentId(experimentId);
        var tags = RequestParsing.GetKeyValues(message.GetObjectList("tags"), "tags", RequestParsing.ValidateRunTag);
        var startTime = message.GetInt64("start_time") ?? _time.GetUtcNow().ToUnixTimeMilliseconds();

        var runName = ResolveRunName(message.GetString("run_name"), tags);
        tags.RemoveAll(tag => tag.Key == RunNameTag);
        tags.Add(new KeyValue(RunNameTag, runName));

        // A user named by the gateway overrides whatever the client claims.
        var userId = message.GetString("user_id");
        if (string.IsNullOrEmpty(userId))
        {
            userId = tags.LastOrDefault(tag => tag.Key == UserTag)?.Value ?? string.Empty;
        }

        if (_identity.GetUser(context.Request) is { } gatewayUser)
        {
            userId = gatewayUser;
            tags.RemoveAll(tag => tag.Key == UserTag);
            tags.Add(new KeyValue(UserTag, gatewayUser));
        }

        var run = await _store.CreateRunAsync(new NewRun(experimentId, userId, runName, startTime, tags), context.RequestAborted);
        _metrics.RunCreated();
        await JsonResults.WriteObjectAsync(context, writer =>
        {
            writer.WritePropertyName("run");
            EntityJsonWriter.WriteRun(writer, run);
        });
    }

    private static string ResolveRunName(string? runName, List<KeyValue> tags)
    {
        var tagName = tags.LastOrDefault(tag => tag.Key == RunNameTag)?.Value;
        if (!string.IsNullOrEmpty(runName) && !string.IsNullOrEmpty(tagName) && runName != tagName)
        {
            throw TrackingException.InvalidParameter(
                $"Both 'run_name' argument and 'mlflow.runName' tag are specified, but with different values (run_name='{runName}', mlflow.runName='{tagName}'). Send one of them or make them equal.");
        }

        return !string.IsNullOrEmpty(runName) ? runName
            : !string.IsNullOrEmpty(tagName) ? tagName
            : RunNameGenerator.Create();
    }

    private async Task GetAsync(HttpContext context, RequestMessage message)
    {
        var run = await _store.GetRunAsync(RequestParsing.GetRunId(message), context.RequestAborted);
        await JsonResults.WriteObjectAsync(context, writer =>
        {
            writer.WritePropertyName("run");
            EntityJsonWriter.WriteRun(writer, run);
        });
    }

    private async Task UpdateAsync(HttpContext context, RequestMessage message)
    {
        var runId = RequestParsing.GetRunId(message);
        var status = message.GetEnumText("status");
        if (status is not null)
        {
            status = status switch
            {
                "1" => RunStatus.Running,
                "2" => RunStatus.Scheduled,
                "3" => RunStatus.Finished,
                "4" => RunStatus.Failed,
                "5" => RunStatus.Killed,
                _ => status,
            };
            if (!RunStatus.IsValid(status))
            {
                throw TrackingException.InvalidParameter(
                    $"Invalid value '{status}' for parameter 'status': use RUNNING, SCHEDULED, FINISHED, FAILED or KILLED.");
            }
        }

        var runName = message.GetString("run_name");
        if (runName is not null)
        {
            RequestParsing.ValidateRunTag(RunNameTag, runName);
        }

        var info = await _store.UpdateRunAsync(
            new RunUpdate(runId, status, message.GetInt64("end_time"), string.IsNullOrEmpty(runName) ? null : runName),
            context.RequestAborted);
        await JsonResults.WriteObjectAsync(context, writer =>
        {
            writer.WritePropertyName("run_info");
            EntityJsonWriter.WriteRunInfo(writer, info);
        });
    }

    private async Task DeleteAsync(HttpContext context, RequestMessage message)
    {
        await _store.SetRunLifecycleAsync(RequestParsing.GetRunId(message), deleted: true, context.RequestAborted);
        await JsonResults.WriteEmptyAsync(context);
    }

    private async Task RestoreAsync(HttpContext context, RequestMessage message)
    {
        await _store.SetRunLifecycleAsync(RequestParsing.GetRunId(message), deleted: false, context.RequestAborted);
        await JsonResults.WriteEmptyAsync(context);
    }

    private async Task SearchAsync(HttpContext context, RequestMessage message)
    {
        var experimentIds = message.GetStringList("experiment_ids");
        foreach (var experimentId in experimentIds)
        {
            TrackingValidator.ValidateExperimentId(experimentId);
        }

        var query = new RunSearchQuery(
            experimentIds,
            RunSearchRules.ParseFilter(message.GetString("filter")),
            RunSearchRules.ParseOrderBy(message.GetStringList("order_by")),
            RequestParsing.GetViewType(message, "run_view_type"),
            RequestParsing.GetMaxResults(message, TrackingLimits.SearchMaxResultsDefault, TrackingLimits.SearchMaxResultsThreshold),
            message.GetString("page_token"));
        var page = await _store.SearchRunsAsync(query, context.RequestAborted);
        await JsonResults.WritePageAsync(context, "runs", page, EntityJsonWriter.WriteRun);
    }

    private async Task LogMetricAsync(HttpContext context, RequestMessage message)
    {
        var runId = RequestParsing.GetRunId(message);
        var key = message.RequireString("key");
        TrackingValidator.ValidateKey("Metric", key);
        var value = message.GetDouble("value") ?? throw FieldReader.Missing("value");
        var timestamp = message.GetInt64("timestamp") ?? throw FieldReader.Missing("timestamp");
        var step = message.GetInt64("step") ?? 0;
        var metric = new Metric(key, value, timestamp, step,
            MetricLinkFields.ValidateModelId(message.GetString("model_id"), "model_id"),
            MetricLinkFields.ValidateDatasetName(message.GetString("dataset_name"), "dataset_name"),
            MetricLinkFields.ValidateDatasetDigest(message.GetString("dataset_digest"), "dataset_digest"));
        await _store.LogBatchAsync(runId, [metric], [], [], context.RequestAborted);
        _metrics.MetricPointsLogged(1);
        await JsonResults.WriteEmptyAsync(context);
    }

    private async Task LogParameterAsync(HttpContext context, RequestMessage message)
    {
        var runId = RequestParsing.GetRunId(message);
        var key = message.RequireString("key");
        var value = message.GetString("value") ?? throw FieldReader.Missing("value");
        RequestParsing.ValidateParam(key, value);
        await _store.LogBatchAsync(runId, [], [new KeyValue(key, value)], [], context.RequestAborted);
        await JsonResults.WriteEmptyAsync(context);
    }

    private async Task SetTagAsync(HttpContext context, RequestMessage message)
    {
        var runId = RequestParsing.GetRunId(message);
        var key = message.RequireString("key");
        var value = message.GetString("value") ?? throw FieldReader.Missing("value");
        RequestParsing.ValidateRunTag(key, value);
        await _store.LogBatchAsync(runId, [], [], [new KeyValue(key, value)], context.RequestAborted);
        await JsonResults.WriteEmptyAsync(context);
    }

    private async Task DeleteTagAsync(HttpContext context, RequestMessage message)
    {
        var runId = RequestParsing.GetRunId(message);
        var key = message.RequireString("key");
        await _store.DeleteTagAsync(runId, key, context.RequestAborted);
        await JsonResults.WriteEmptyAsync(context);
    }

    private async Task LogBatchAsync(HttpContext context, RequestMessage message)
    {
        var runId = RequestParsing.GetRunId(message);
        var metricItems = message.GetObjectList("metrics");
        var paramItems = message.GetObjectList("params");
        var tagItems = message.GetObjectList("tags");
        CheckBatchSizes(metricItems.Count, paramItems.Count, tagItems.Count);

        var metrics = new List<Metric>(metricItems.Count);
        var reader = new MetricItemReader();
        for (var i = 0; i < metricItems.Count; i++)
        {
            metrics.Add(reader.Read(metricItems[i], i));
        }

        var parameters = RequestParsing.GetKeyValues(paramItems, "params", RequestParsing.ValidateParam);
        var tags = RequestParsing.GetKeyValues(tagItems, "tags", RequestParsing.ValidateRunTag);
        await _store.LogBatchAsync(runId, metrics, parameters, tags, context.RequestAborted);
        _metrics.MetricPointsLogged(metrics.Count);
        await JsonResults.WriteEmptyAsync(context);
    }

    private static void CheckBatchSizes(int metrics, int parameters, int tags)
    {
        if (metrics > TrackingLimits.MaxMetricsPerBatch)
        {
            throw TrackingException.InvalidParameter(
                $"A batch logging request can contain at most {TrackingLimits.MaxMetricsPerBatch} metrics. Got {metrics} metrics. Split the batch.");
        }

        if (parameters > TrackingLimits.MaxParamsTagsPerBatch)
        {
            throw TrackingException.InvalidParameter(
                $"A batch logging request can contain at most {TrackingLimits.MaxParamsTagsPerBatch} params. Got {parameters} params. Split the batch.");
        }

        if (tags > TrackingLimits.MaxParamsTagsPerBatch)
        {
            throw TrackingException.InvalidParameter(
                $"A batch logging request can contain at most {TrackingLimits.MaxParamsTagsPerBatch} tags. Got {tags} tags. Split the batch.");
        }

        var total = metrics + parameters + tags;
        if (total > TrackingLimits.MaxEntitiesPerBatch)
        {
            throw TrackingException.InvalidParameter(
                $"A batch logging request can contain at most {TrackingLimits.MaxEntitiesPerBatch} metrics, params and tags in total. Got {total}. Split the batch.");
        }
    }

    private async Task LogInputsAsync(HttpContext context, RequestMessage message)
    {
        var runId = RequestParsing.GetRunId(message);
        var items = message.GetObjectList("datasets");
        if (items.Count > TrackingLimits.MaxDatasetsPerBatch)
        {
            throw TrackingException.InvalidParameter(
                $"A log-inputs request can contain at most {TrackingLimits.MaxDatasetsPerBatch} datasets. Got {items.Count}. Split the request.");
        }

        var inputs = new List<DatasetInput>(items.Count);
        for (var i = 0; i < items.Count; i++)
        {
            inputs.Add(ReadDatasetInput(items[i], $"datasets[{i}]"));
        }

        var models = message.GetObjectList("models");
        if (models.Count > TrackingLimits.MaxDatasetsPerBatch)
        {
            throw TrackingException.InvalidParameter(
                $"A log-inputs request can contain at most {TrackingLimits.MaxDatasetsPerBatch} models. Got {models.Count}. Split the request.");
        }

        var modelInputs = new List<ModelInput>(models.Count);
        for (var i = 0; i < models.Count; i++)
        {
            var modelId = FieldReader.RequireString(models[i], "model_id", $"models[{i}].model_id");
            TrackingValidator.ValidateLength("Model id", modelId, TrackingLimits.MaxModelIdLength);
            modelInputs.Add(new ModelInput(modelId));
        }

        await _store.LogInputsAsync(runId, inputs, modelInputs, context.RequestAborted);
        await JsonResults.WriteEmptyAsync(context);
    }

    private static DatasetInput ReadDatasetInput(JsonElement item, string path)
    {
        var tags = new List<KeyValue>();
        if (item.TryGetProperty("tags", out var tagArray) && tagArray.ValueKind == JsonValueKind.Array)
        {
            var tagItems = tagArray.EnumerateArray().ToList();
            tags = RequestParsing.GetKeyValues(tagItems, path + ".tags", (key, value) =>
            {
                TrackingValidator.ValidateLength("Input tag key", key, TrackingLimits.MaxInputTagKeyLength);
                TrackingValidator.ValidateLength("Input tag value", value, TrackingLimits.MaxInputTagValueLength);
            });
        }

        if (!item.TryGetProperty("dataset", out var dataset) || dataset.ValueKind != JsonValueKind.Object)
        {
            throw FieldReader.Missing(path + ".dataset");
        }

        var prefix = path + ".dataset.";
        var name = FieldReader.RequireString(dataset, "name", prefix + "name");
        var digest = FieldReader.RequireString(dataset, "digest", prefix + "digest");
        var sourceType = FieldReader.RequireString(dataset, "source_type", prefix + "source_type");
        var source = FieldReader.RequireString(dataset, "source", prefix + "source");
        var schema = FieldReader.GetString(dataset, "schema", prefix + "schema");
        var profile = FieldReader.GetString(dataset, "profile", prefix + "profile");
        TrackingValidator.ValidateLength("Dataset name", name, TrackingLimits.MaxDatasetNameLength);
        TrackingValidator.ValidateLength("Dataset digest", digest, TrackingLimits.MaxDatasetDigestLength);
        TrackingValidator.ValidateLength("Dataset source", source, TrackingLimits.MaxDatasetSourceLength);
        TrackingValidator.ValidateLength("Dataset schema", schema ?? string.Empty, TrackingLimits.MaxDatasetSchemaLength);
        TrackingValidator.ValidateLength("Dataset profile", profile ?? string.Empty, TrackingLimits.MaxDatasetProfileLength);
        return new DatasetInput(tags, new Dataset(name, digest, sourceType, source, schema, profile));
    }
}
