using System.Net;
using System.Text.Json;
using Platform.Tracking.Tests.Infrastructure;

namespace Platform.Tracking.Tests.Registry;

/// <summary>Conformance of the MLflow 3 trace and assessment routes with the JSON that the MLflow 3.3 Python client sends.</summary>
[Collection(RegistryServersCollection.Name)]
public sealed class TraceApiTests
{
    private readonly RegistryServersFixture _servers;

    public TraceApiTests(RegistryServersFixture servers)
    {
        _servers = servers;
    }

    [Theory]
    [MemberData(nameof(Backends.All), MemberType = typeof(Backends))]
    public async Task StartTrace_ThenGet_ReturnsAllFields(string backend)
    {
        var api = _servers.Api(backend);
        var experimentId = await api.CreateExperimentAsync("traces");
        var traceId = NewTraceId();

        var started = (await api.PostAsync("/api/3.0/mlflow/traces", StartBody(traceId, experimentId, "2025-03-01T10:00:00.250Z", "OK"))).EnsureOk();
        var fetched = (await api.GetAsync($"/api/3.0/mlflow/traces/{traceId}")).EnsureOk();
        var viaAjax = (await api.GetAsync($"/ajax-api/3.0/mlflow/traces/{traceId}")).EnsureOk();

        var infos = new[] { started, fetched, viaAjax }.Select(response => response.Json.GetProperty("trace").GetProperty("trace_info"));
        foreach (var info in infos)
        {
            Assert.Equal(traceId, info.GetProperty("trace_id").GetString());
            Assert.Equal("req-1", info.GetProperty("client_request_id").GetString());
            Assert.Equal("MLFLOW_EXPERIMENT", info.GetProperty("trace_location").GetProperty("type").GetString());
            Assert.Equal(experimentId, info.GetProperty("trace_location").GetProperty("mlflow_experiment").GetProperty("experiment_id").GetString());
            Assert.Equal("{\"q\": 1}", info.GetProperty("request_preview").GetString());
            Assert.Equal("\"answer\"", info.GetProperty("response_preview").GetString());
            Assert.Equal("2025-03-01T10:00:00.250Z", info.GetProperty("request_time").GetString());
            Assert.Equal("1.500s", info.GetProperty("execution_duration").GetString());
            Assert.Equal("OK", info.GetProperty("state").GetString());
            Assert.Equal("3.3.2", info.GetProperty("trace_metadata").GetProperty("mlflow.trace_schema.version").GetString());
            var tags = info.GetProperty("tags");
            Assert.Equal("predict", tags.GetProperty("mlflow.traceName").GetString());
            Assert.Equal($"mlflow-artifacts:/{experimentId}/traces/{traceId}/artifacts", tags.GetProperty("mlflow.artifactLocation").GetString());
            Assert.Empty(info.GetProperty("assessments").EnumerateArray());
        }
    }

    [Theory]
    [MemberData(nameof(Backends.All), MemberType = typeof(Backends))]
    public async Task StartTrace_BadInput_IsRejected(string backend)
    {
        var api = _servers.Api(backend);
        var experimentId = await api.CreateExperimentAsync("traces-bad");

        (await api.PostAsync("/api/3.0/mlflow/traces", StartBody(NewTraceId(), "999999", "2025-03-01T10:00:00Z", "OK")))
            .AssertError(HttpStatusCode.NotFound, "RESOURCE_DOES_NOT_EXIST");
        (await api.PostAsync("/api/3.0/mlflow/traces", StartBody(NewTraceId(), experimentId, "yesterday", "OK")))
            .AssertError(HttpStatusCode.BadRequest, "INVALID_PARAMETER_VALUE");
        (await api.PostAsync("/api/3.0/mlflow/traces", StartBody(NewTraceId(), experimentId, "2025-03-01T10:00:00Z", "DONE")))
            .AssertError(HttpStatusCode.BadRequest, "INVALID_PARAMETER_VALUE");
        (await api.PostAsync("/api/3.0/mlflow/traces", StartBody("../etc", experimentId, "2025-03-01T10:00:00Z", "OK")))
            .AssertError(HttpStatusCode.BadRequest, "INVALID_PARAMETER_VALUE");
        (await api.PostAsync("/api/3.0/mlflow/traces", """{"trace": {}}"""))
            .AssertError(HttpStatusCode.BadRequest, "INVALID_PARAMETER_VALUE");
        (await api.GetAsync($"/api/3.0/mlflow/traces/{NewTraceId()}"))
            .AssertError(HttpStatusCode.NotFound, "RESOURCE_DOES_NOT_EXIST");
    }

    [Theory]
    [MemberData(nameof(Backends.All), MemberType = typeof(Backends))]
    public async Task SearchTraces_FiltersOrdersAndPages(string backend)
    {
        var api = _servers.Api(backend);
        var experimentId = await api.CreateExperimentAsync("traces-search");
        var first = NewTraceId();
        var second = NewTraceId();
        var third = NewTraceId();
        (await api.PostAsync("/api/3.0/mlflow/traces", StartBody(first, experimentId, "2025-03-01T10:00:00Z", "OK"))).EnsureOk();
        (await api.PostAsync("/api/3.0/mlflow/traces", StartBody(second, experimentId, "2025-03-01T11:00:00Z", "ERROR"))).EnsureOk();
        (await api.PostAsync("/api/3.0/mlflow/traces", StartBody(third, experimentId, "2025-03-01T12:00:00Z", "OK"))).EnsureOk();
        var location = $$$"""[{"type": "MLFLOW_EXPERIMENT", "mlflow_experiment": {"experiment_id": "{{{experimentId}}}"}}]""";

        var newestFirst = await SearchIdsAsync(api, $$"""{"locations": {{location}}, "max_results": 100}""");
        var ok = await SearchIdsAsync(api, $$"""{"locations": {{location}}, "filter": "trace.status = 'OK'", "order_by": ["timestamp_ms ASC"]}""");
        var byTag = await SearchIdsAsync(api, $$"""{"locations": {{location}}, "filter": "tags.mlflow.traceName = 'predict' AND attributes.timestamp_ms > 1740825000000"}""");
        var firstPage = (await api.PostAsync("/api/3.0/mlflow/traces/search", $$"""{"locations": {{location}}, "max_results": 2}""")).EnsureOk();
        var token = firstPage.Json.GetProperty("next_page_token").GetString();
        var secondPage = await SearchIdsAsync(api, $$"""{"locations": {{location}}, "max_results": 2, "page_token": "{{token}}"}""");

        Assert.Equal([third, second, first], newestFirst);
        Assert.Equal([first, third], ok);
        Assert.Equal([third, second], byTag);
        Assert.Equal(2, firstPage.Json.GetProperty("traces").GetArrayLength());
        Assert.Equal([first], secondPage);
        (await api.PostAsync("/api/3.0/mlflow/traces/search", """{"max_results": 10}"""))
            .AssertError(HttpStatusCode.BadRequest, "INVALID_PARAMETER_VALUE");
        (await api.PostAsync("/api/3.0/mlflow/traces/search", $$"""{"locations": {{location}}, "filter": "metrics.x > 1"}"""))
            .AssertError(HttpStatusCode.BadRequest, "INVALID_PARAMETER_VALUE");
    }

    [Theory]
    [MemberData(nameof(Backends.All), MemberType = typeof(Backends))]
    public async Task TagsLinksAndDelete_RoundTrip(string backend)
    {
        var api = _servers.Api(backend);
        var experimentId = await api.CreateExperimentAsync("traces-tags");
        var runId = await api.CreateRunAsync(experimentId);
        var kept = NewTraceId();
        var removed = NewTraceId();
        var old = NewTraceId();
        (await api.PostAsync("/api/3.0/mlflow/traces", StartBody(kept, experimentId, "2025-03-02T10:00:00Z", "OK"))).EnsureOk();
        (await api.PostAsync("/api/3.0/mlflow/traces", StartBody(removed, experimentId, "2025-03-02T11:00:00Z", "OK"))).EnsureOk();
        (await api.PostAsync("/api/3.0/mlflow/traces", StartBody(old, experimentId, "2020-01-01T00:00:00Z", "OK"))).EnsureOk();

        (await api.SendAsync(HttpMethod.Patch, $"/api/2.0/mlflow/traces/{kept}/tags", """{"key": "reviewed", "value": "yes"}""", null)).EnsureOk();
        (await api.SendAsync(HttpMethod.Patch, $"/api/2.0/mlflow/traces/{kept}/tags", """{"key": "temp", "value": "1"}""", null)).EnsureOk();
        (await api.SendAsync(HttpMethod.Delete, $"/api/2.0/mlflow/traces/{kept}/tags", """{"key": "temp"}""", null)).EnsureOk();
        (await api.PostAsync("traces/link-to-run", $$"""{"trace_ids": ["{{kept}}"], "run_id": "{{runId}}"}""")).EnsureOk();
        var byId = (await api.PostAsync("traces/delete-traces", $$"""{"experiment_id": "{{experimentId}}", "request_ids": ["{{removed}}"]}""")).EnsureOk();
        var byAge = (await api.PostAsync("traces/delete-traces",
            $$"""{"experiment_id": "{{experimentId}}", "max_timestamp_millis": 1600000000000, "max_traces": 10}""")).EnsureOk();

        var tags = (await api.GetAsync($"/api/3.0/mlflow/traces/{kept}")).EnsureOk().Json.GetProperty("trace").GetProperty("trace_info").GetProperty("tags");
        Assert.Equal("yes", tags.GetProperty("reviewed").GetString());
        Assert.False(tags.TryGetProperty("temp", out _));
        Assert.Equal(1, byId.Json.GetProperty("traces_deleted").GetInt32());
        Assert.Equal(1, byAge.Json.GetProperty("traces_deleted").GetInt32());
        (await api.GetAsync($"/api/3.0/mlflow/traces/{removed}")).AssertError(HttpStatusCode.NotFound, "RESOURCE_DOES_NOT_EXIST");
        (await api.GetAsync($"/api/3.0/mlflow/traces/{old}")).AssertError(HttpStatusCode.NotFound, "RESOURCE_DOES_NOT_EXIST");
        var linked = await SearchIdsAsync(api,
            $$$"""{"locations": [{"type": "MLFLOW_EXPERIMENT", "mlflow_experiment": {"experiment_id": "{{{experimentId}}}"}}], "filter": "attributes.run_id = '{{{runId}}}'"}""");
        Assert.Equal([kept], linked);
        (await api.SendAsync(HttpMethod.Delete, $"/api/2.0/mlflow/traces/{kept}/tags", """{"key": "never-set"}""", null))
            .AssertError(HttpStatusCode.NotFound, "RESOURCE_DOES_NOT_EXIST");
        (await api.PostAsync("traces/delete-traces", $$"""{"experiment_id": "{{experimentId}}"}"""))
            .AssertError(HttpStatusCode.BadRequest, "INVALID_PARAMETER_VALUE");
        (await api.PostAsync("traces/link-to-run", $$"""{"trace_ids": ["{{NewTraceId()}}"], "run_id": "{{runId}}"}"""))
            .AssertError(HttpStatusCode.NotFound, "RESOURCE_DOES_NOT_EXIST");
    }

    [Theory]
    [MemberData(nameof(Backends.All), MemberType = typeof(Backends))]
    public async Task Assessments_CreateGetUpdateDelete(string backend)
    {
        var api = _servers.Api(backend);
        var experimentId = await api.CreateExperimentAsync("assessments");
        var traceId = NewTraceId();
        (await api.PostAsync("/api/3.0/mlflow/traces", StartBody(traceId, experimentId, "2025-03-01T10:00:00Z", "OK"))).EnsureOk();

        // mlflow.log_feedback(trace_id, name="correct", value=True, source=AssessmentSource("HUMAN", "alice"), rationale=...)
        var created = (await api.PostAsync($"/api/3.0/mlflow/traces/{traceId}/assessments",
            $$$"""
            {"assessment": {"assessment_name": "correct", "trace_id": "{{{traceId}}}",
             "source": {"source_type": "HUMAN", "source_id": "alice"},
             "feedback": {"value": true}, "rationale": "matches the reference", "metadata": {"round": "1"} } }
            """)).EnsureOk().Json.GetProperty("assessment");
        var assessmentId = created.GetProperty("assessment_id").GetString()!;
        Assert.Matches("^a-[0-9a-f]{32}$", assessmentId);
        Assert.Equal(traceId, created.GetProperty("trace_id").GetString());
        Assert.Equal("correct", created.GetProperty("assessment_name").GetString());
        Assert.Equal("HUMAN", created.GetProperty("source").GetProperty("source_type").GetString());
        Assert.True(created.GetProperty("feedback").GetProperty("value").GetBoolean());
        Assert.Equal("matches the reference", created.GetProperty("rationale").GetString());
        Assert.EndsWith("Z", created.GetProperty("create_time").GetString(), StringComparison.Ordinal);

        var fetched = (await api.GetAsync($"/api/3.0/mlflow/traces/{traceId}/assessments/{assessmentId}")).EnsureOk().Json.GetProperty("assessment");
        Assert.Equal(created.GetRawText(), fetched.GetRawText());

        var updated = (await api.SendAsync(HttpMethod.Patch, $"/api/3.0/mlflow/traces/{traceId}/assessments/{assessmentId}",
            """{"assessment": {"rationale": "re-checked", "feedback": {"value": false}}, "update_mask": "rationale,feedback"}""", null)).EnsureOk()
            .Json.GetProperty("assessment");
        Assert.Equal("re-checked", updated.GetProperty("rationale").GetString());
        Assert.False(updated.GetProperty("feedback").GetProperty("value").GetBoolean());
        Assert.Equal("correct", updated.GetProperty("assessment_name").GetString());
        Assert.Equal(created.GetProperty("create_time").GetString(), updated.GetProperty("create_time").GetString());

        var trace = (await api.GetAsync($"/api/3.0/mlflow/traces/{traceId}")).EnsureOk().Json.GetProperty("trace").GetProperty("trace_info");
        Assert.Equal(assessmentId, Assert.Single(trace.GetProperty("assessments").EnumerateArray()).GetProperty("assessment_id").GetString());

        (await api.SendAsync(HttpMethod.Delete, $"/api/3.0/mlflow/traces/{traceId}/assessments/{assessmentId}", null, null)).EnsureOk();
        (await api.GetAsync($"/api/3.0/mlflow/traces/{traceId}/assessments/{assessmentId}")).AssertError(HttpStatusCode.NotFound, "RESOURCE_DOES_NOT_EXIST");
    }

    [Theory]
    [MemberData(nameof(Backends.All), MemberType = typeof(Backends))]
    public async Task Assessments_BadInput_IsRejected(string backend)
    {
        var api = _servers.Api(backend);
        var experimentId = await api.CreateExperimentAsync("assessments-bad");
        var traceId = NewTraceId();
        (await api.PostAsync("/api/3.0/mlflow/traces", StartBody(traceId, experimentId, "2025-03-01T10:00:00Z", "OK"))).EnsureOk();

        var cases = new[]
        {
            """{"assessment": {"source": {"source_type": "HUMAN"}, "feedback": {"value": 1}}}""",
            """{"assessment": {"assessment_name": "x", "source": {"source_type": "ROBOT"}, "feedback": {"value": 1}}}""",
            """{"assessment": {"assessment_name": "x", "source": {"source_type": "CODE"}}}""",
            """{"assessment": {"assessment_name": "x", "source": {"source_type": "CODE"}, "feedback": {"value": 1}, "expectation": {"value": 2}}}""",
            """{}""",
        };
        foreach (var body in cases)
        {
            (await api.PostAsync($"/api/3.0/mlflow/traces/{traceId}/assessments", body)).AssertError(HttpStatusCode.BadRequest, "INVALID_PARAMETER_VALUE");
        }

        (await api.PostAsync($"/api/3.0/mlflow/traces/{NewTraceId()}/assessments",
            """{"assessment": {"assessment_name": "x", "source": {"source_type": "CODE"}, "expectation": {"value": "y"}}}"""))
            .AssertError(HttpStatusCode.NotFound, "RESOURCE_DOES_NOT_EXIST");
    }

    [Theory]
    [MemberData(nameof(Backends.All), MemberType = typeof(Backends))]
    public async Task WebhooksAndScorers_AreEndpointNotFound(string backend)
    {
        var api = _servers.Api(backend);

        (await api.PostAsync("/api/2.0/mlflow/webhooks", """{"name": "hook", "url": "http://127.0.0.1:9/hook"}"""))
            .AssertError(HttpStatusCode.NotFound, "ENDPOINT_NOT_FOUND");
        (await api.PostAsync("/api/3.0/mlflow/scorers/register", """{"experiment_id": "0", "name": "s", "serialized_scorer": "{}"}"""))
            .AssertError(HttpStatusCode.NotFound, "ENDPOINT_NOT_FOUND");
        (await api.GetAsync("/ajax-api/3.0/mlflow/scorers/list?experiment_id=0"))
            .AssertError(HttpStatusCode.NotFound, "ENDPOINT_NOT_FOUND");
    }

    [Theory]
    [MemberData(nameof(Backends.All), MemberType = typeof(Backends))]
    public async Task SearchTraces_FiltersOnMetadata(string backend)
    {
        var api = _servers.Api(backend);
        var experimentId = await api.CreateExperimentAsync("traces-metadata");
        var older = NewTraceId();
        var newer = NewTraceId();
        (await api.PostAsync("/api/3.0/mlflow/traces", StartBody(older, experimentId, "2025-03-01T10:00:00Z", "OK"))).EnsureOk();
        (await api.PostAsync("/api/3.0/mlflow/traces",
            StartBody(newer, experimentId, "2025-03-01T11:00:00Z", "OK").Replace("3.3.2", "3.4.0", StringComparison.Ordinal))).EnsureOk();
        var location = $$$"""[{"type": "MLFLOW_EXPERIMENT", "mlflow_experiment": {"experiment_id": "{{{experimentId}}}"}}]""";

        var exact = await SearchIdsAsync(api, $$"""{"locations": {{location}}, "filter": "metadata.`mlflow.trace_schema.version` = '3.3.2'"}""");
        var requestMetadata = await SearchIdsAsync(api, $$"""{"locations": {{location}}, "filter": "request_metadata.`mlflow.trace_schema.version` LIKE '3.4%'"}""");
        var listed = await SearchIdsAsync(api,
            $$"""{"locations": {{location}}, "filter": "metadata.`mlflow.trace_schema.version` IN ('3.3.2', '3.4.0') AND trace.status = 'OK'", "order_by": ["trace.timestamp_ms ASC"]}""");
        var missingKey = await SearchIdsAsync(api, $$"""{"locations": {{location}}, "filter": "metadata.absent = 'x'"}""");

        Assert.Equal([older], exact);
        Assert.Equal([newer], requestMetadata);
        Assert.Equal([older, newer], listed);
        Assert.Empty(missingKey);
        var numeric = await api.PostAsync("/api/3.0/mlflow/traces/search", $$"""{"locations": {{location}}, "filter": "metadata.version > 3"}""");
        numeric.AssertError(HttpStatusCode.BadRequest, "INVALID_PARAMETER_VALUE");
        Assert.Contains("metadata", numeric.Message, StringComparison.Ordinal);
        var unknownPrefix = await api.PostAsync("/api/3.0/mlflow/traces/search", $$"""{"locations": {{location}}, "filter": "span.name = 'x'"}""");
        unknownPrefix.AssertError(HttpStatusCode.BadRequest, "INVALID_PARAMETER_VALUE");
        Assert.Contains("trace, attributes, tags or metadata", unknownPrefix.Message, StringComparison.Ordinal);
    }

    private static string NewTraceId() => "tr-" + Guid.NewGuid().ToString("N");

    /// <summary>Returns the StartTraceV3 body that the MLflow 3.3 client sends when a trace ends.</summary>
    private static string StartBody(string traceId, string experimentId, string requestTime, string state) =>
        $$$"""
        {"trace": {"trace_info": {
          "trace_id": "{{{traceId}}}", "client_request_id": "req-1",
          "trace_location": {"type": "MLFLOW_EXPERIMENT", "mlflow_experiment": {"experiment_id": "{{{experimentId}}}"}},
          "request_preview": "{\"q\": 1}", "response_preview": "\"answer\"",
          "request_time": "{{{requestTime}}}", "execution_duration": "1.500s", "state": "{{{state}}}",
          "trace_metadata": {"mlflow.trace_schema.version": "3.3.2", "mlflow.traceInputs": "{\"q\": 1}"},
          "tags": {"mlflow.traceName": "predict", "mlflow.artifactLocation": "client-value-is-replaced"} } } }
        """;

    private static async Task<List<string>> SearchIdsAsync(TrackingApi api, string json)
    {
        var response = (await api.PostAsync("/api/3.0/mlflow/traces/search", json)).EnsureOk();
        return response.Json.GetProperty("traces").EnumerateArray().Select(trace => trace.GetProperty("trace_id").GetString()!).ToList();
    }
}
