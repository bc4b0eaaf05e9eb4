using System.Net;
using System.Text;
using System.Text.Json;
using Platform.Tracking.Tests.Infrastructure;

namespace Platform.Tracking.Tests.Api;

[Collection(TrackingServersCollection.Name)]
public sealed class LogBatchTests
{
    private readonly TrackingServersFixture _servers;

    public LogBatchTests(TrackingServersFixture servers)
    {
        _servers = servers;
    }

    [Theory]
    [MemberData(nameof(Backends.All), MemberType = typeof(Backends))]
    public async Task LogBatch_WritesMetricsParamsTags(string backend)
    {
        var api = _servers.Api(backend);
        var runId = await api.CreateRunAsync(await api.CreateExperimentAsync());

        (await api.PostAsync("runs/log-batch", $$"""
            {"run_id": "{{runId}}",
             "metrics": [{"key": "loss", "value": 0.9, "timestamp": 1000, "step": 0}, {"key": "loss", "value": 0.5, "timestamp": 1001, "step": 1}],
             "params": [{"key": "lr", "value": "0.1"}],
             "tags": [{"key": "phase", "value": "train"}]}
            """)).EnsureOk();
        var run = (await api.GetAsync($"/api/2.0/mlflow/runs/get?run_id={runId}")).EnsureOk().Json.GetProperty("run");

        var metric = Assert.Single(run.GetProperty("data").GetProperty("metrics").EnumerateArray());
        Assert.Equal("loss", metric.GetProperty("key").GetString());
        Assert.Equal(0.5, metric.GetProperty("value").GetDouble());
        Assert.Equal(1001, metric.GetProperty("timestamp").GetInt64());
        Assert.Equal(1, metric.GetProperty("step").GetInt64());
        Assert.Equal("0.1", Assert.Single(run.GetProperty("data").GetProperty("params").EnumerateArray()).GetProperty("value").GetString());
        Assert.Equal("train", RunApiTests.Tags(run)["phase"]);
    }

    [Theory]
    [MemberData(nameof(Backends.All), MemberType = typeof(Backends))]
    public async Task LatestMetric_MaxStepThenTimestampThenValue(string backend)
    {
        var api = _servers.Api(backend);
        var runId = await api.CreateRunAsync(await api.CreateExperimentAsync());

        // A later request with a smaller step must not replace the latest value.
        await LogMetricAsync(api, runId, "a", "5", 100, 3);
        await LogMetricAsync(api, runId, "a", "9", 200, 2);

        // Equal step: the larger timestamp wins even with a smaller value.
        await LogMetricAsync(api, runId, "b", "5", 100, 1);
        await LogMetricAsync(api, runId, "b", "1", 101, 1);

        // Equal step and timestamp: the larger value wins.
        await LogMetricAsync(api, runId, "c", "7", 100, 1);
        await LogMetricAsync(api, runId, "c", "3", 100, 1);

        var metrics = await LatestMetricsAsync(api, runId);
        Assert.Equal(5, metrics["a"].GetProperty("value").GetDouble());
        Assert.Equal(1, metrics["b"].GetProperty("value").GetDouble());
        Assert.Equal(7, metrics["c"].GetProperty("value").GetDouble());
    }

    [Theory]
    [MemberData(nameof(Backends.All), MemberType = typeof(Backends))]
    public async Task SpecialDoubles_RoundTripAsStrings(string backend)
    {
        var api = _servers.Api(backend);
        var runId = await api.CreateRunAsync(await api.CreateExperimentAsync());

        (await api.PostAsync("runs/log-batch", $$"""
            {"run_id": "{{runId}}", "metrics": [
              {"key": "nan", "value": "NaN", "timestamp": 1, "step": 0},
              {"key": "pinf", "value": "Infinity", "timestamp": 1, "step": 0},
              {"key": "ninf", "value": "-Infinity", "timestamp": 1, "step": 0},
              {"key": "big", "value": 1.7976931348623157e308, "timestamp": 1, "step": 0}]}
            """)).EnsureOk();
        var metrics = await LatestMetricsAsync(api, runId);
        var history = (await api.GetAsync($"/api/2.0/mlflow/metrics/get-history?run_id={runId}&metric_key=nan")).EnsureOk();

        Assert.Equal("NaN", metrics["nan"].GetProperty("value").GetString());
        Assert.Equal("Infinity", metrics["pinf"].GetProperty("value").GetString());
        Assert.Equal("-Infinity", metrics["ninf"].GetProperty("value").GetString());
        Assert.Equal(double.MaxValue, metrics["big"].GetProperty("value").GetDouble());
        Assert.Equal("NaN", Assert.Single(history.Json.GetProperty("metrics").EnumerateArray()).GetProperty("value").GetString());
    }

    [Theory]
    [MemberData(nameof(Backends.All), MemberType = typeof(Backends))]
    public async Task RetriedBatch_SucceedsWithoutDuplicates(string backend)
    {
        var api = _servers.Api(backend);
        var runId = await api.CreateRunAsync(await api.CreateExperimentAsync());
        var metrics = string.Join(", ", Enumerable.Range(0, 200).Select(i => $$"""{"key": "loss", "value": {{i * 0.5}}, "timestamp": {{1000 + i}}, "step": {{i}}}"""));
        var body = $$"""{"run_id": "{{runId}}", "metrics": [{{metrics}}], "params": [{"key": "seed", "value": "7"}], "tags": [{"key": "t", "value": "v"}]}""";

        (await api.PostAsync("runs/log-batch", body)).EnsureOk();
        (await api.PostAsync("runs/log-batch", body)).EnsureOk();
        var history = (await api.GetAsync($"/api/2.0/mlflow/metrics/get-history?run_id={runId}&metric_key=loss")).EnsureOk();

        Assert.Equal(200, history.Json.GetProperty("metrics").GetArrayLength());
    }

    [Theory]
    [MemberData(nameof(Backends.All), MemberType = typeof(Backends))]
    public async Task FailedBatch_WritesNothing(string backend)
    {
        var api = _servers.Api(backend);
        var runId = await api.CreateRunAsync(await api.CreateExperimentAsync());
        (await api.PostAsync("runs/log-parameter", $$"""{"run_id": "{{runId}}", "key": "p", "value": "1"}""")).EnsureOk();

        var response = await api.PostAsync("runs/log-batch", $$"""
            {"run_id": "{{runId}}", "metrics": [{"key": "m", "value": 1, "timestamp": 1, "step": 0}],
             "params": [{"key": "p", "value": "2"}], "tags": [{"key": "t", "value": "v"}]}
            """);
        var run = (await api.GetAsync($"/api/2.0/mlflow/runs/get?run_id={runId}")).EnsureOk().Json.GetProperty("run");

        response.AssertError(HttpStatusCode.BadRequest, "INVALID_PARAMETER_VALUE");
        Assert.Empty(run.GetProperty("data").GetProperty("metrics").EnumerateArray());
        Assert.False(RunApiTests.Tags(run).ContainsKey("t"));
    }

    [Theory]
    [MemberData(nameof(Backends.All), MemberType = typeof(Backends))]
    public async Task DuplicateParamKeysWithDifferentValues_AreInvalid(string backend)
    {
        var api = _servers.Api(backend);
        var runId = await api.CreateRunAsync(await api.CreateExperimentAsync());

        var response = await api.PostAsync("runs/log-batch",
            $$"""{"run_id": "{{runId}}", "params": [{"key": "p", "value": "1"}, {"key": "p", "value": "2"}]}""");

        response.AssertError(HttpStatusCode.BadRequest, "INVALID_PARAMETER_VALUE");
    }

    [Theory]
    [MemberData(nameof(Backends.All), MemberType = typeof(Backends))]
    public async Task LargeBatch_UsesBulkPathAndKeepsAllPoints(string backend)
    {
        var api = _servers.Api(backend);
        var runId = await api.CreateRunAsync(await api.CreateExperimentAsync());
        var metrics = string.Join(", ", Enumerable.Range(0, 1000).Select(i => $$"""{"key": "k{{i % 10}}", "value": {{i}}, "timestamp": {{i}}, "step": {{i / 10}}}"""));

        (await api.PostAsync("runs/log-batch", $$"""{"run_id": "{{runId}}", "metrics": [{{metrics}}]}""")).EnsureOk();
        var latest = await LatestMetricsAsync(api, runId);
        var history = (await api.GetAsync($"/api/2.0/mlflow/metrics/get-history?run_id={runId}&metric_key=k3")).EnsureOk();

        Assert.Equal(10, latest.Count);
        Assert.Equal(993, latest["k3"].GetProperty("value").GetDouble());
        Assert.Equal(100, history.Json.GetProperty("metrics").GetArrayLength());
    }

    [Theory]
    [MemberData(nameof(Backends.All), MemberType = typeof(Backends))]
    public async Task ConcurrentBatches_AllSucceed(string backend)
    {
        var api = _servers.Api(backend);
        var experimentId = await api.CreateExperimentAsync();
        var runIds = new List<string>();
        for (var i = 0; i < 6; i++)
        {
            runIds.Add(await api.CreateRunAsync(experimentId));
        }

        var responses = await Task.WhenAll(runIds.Select(runId => api.PostAsync("runs/log-batch",
            $$"""{"run_id": "{{runId}}", "metrics": [{{string.Join(", ", Enumerable.Range(0, 100).Select(i => $$$"""{"key": "m", "value": {{{i}}}, "timestamp": 1, "step": {{{i}}}}"""))}}], "params": [{"key": "p", "value": "1"}]}""")));

        Assert.All(responses, response => response.EnsureOk());
        foreach (var runId in runIds)
        {
            var history = (await api.GetAsync($"/api/2.0/mlflow/metrics/get-history?run_id={runId}&metric_key=m")).EnsureOk();
            Assert.Equal(100, history.Json.GetProperty("metrics").GetArrayLength());
        }
    }

    [Theory]
    [MemberData(nameof(Backends.All), MemberType = typeof(Backends))]
    public async Task ConcurrentDifferentParamValues_OneWins(string backend)
    {
        var api = _servers.Api(backend);
        var runId = await api.CreateRunAsync(await api.CreateExperimentAsync());

        var responses = await Task.WhenAll(Enumerable.Range(0, 6).Select(i =>
            api.PostAsync("runs/log-parameter", $$"""{"run_id": "{{runId}}", "key": "seed", "value": "{{i}}"}""")));
        var run = (await api.GetAsync($"/api/2.0/mlflow/runs/get?run_id={runId}")).EnsureOk().Json.GetProperty("run");

        Assert.Single(responses, response => response.Status == HttpStatusCode.OK);
        Assert.All(responses.Where(response => response.Status != HttpStatusCode.OK),
            response => response.AssertError(HttpStatusCode.BadRequest, "INVALID_PARAMETER_VALUE"));
        Assert.Single(run.GetProperty("data").GetProperty("params").EnumerateArray());
    }

    public static TheoryData<string, string, string> LimitCases()
    {
        var data = new TheoryData<string, string, string>();
        foreach (var backend in new[] { Backends.Sqlite, Backends.Postgres })
        {
            data.Add(backend, "1001 metrics", Metrics(1001));
            data.Add(backend, "101 params", Metrics(0) + ", " + Field("params", Pairs("p", 101)));
            data.Add(backend, "101 tags", Metrics(0) + ", " + Field("tags", Pairs("t", 101)));
            data.Add(backend, "1001 entities", Metrics(950) + ", " + Field("params", Pairs("p", 51)));
            data.Add(backend, "key of 251 characters", Field("metrics", $"[{{\"key\": \"{new string('k', 251)}\", \"value\": 1, \"timestamp\": 1}}]"));
            data.Add(backend, "param value of 6001 characters", Field("params", $"[{{\"key\": \"p\", \"value\": \"{new string('v', 6001)}\"}}]"));
            data.Add(backend, "tag value of 8001 characters", Field("tags", $"[{{\"key\": \"t\", \"value\": \"{new string('v', 8001)}\"}}]"));
            data.Add(backend, "key with a forbidden character", Field("metrics", """[{"key": "bad*key", "value": 1, "timestamp": 1}]"""));
            data.Add(backend, "key that normalises to another path", Field("params", """[{"key": "a/../b", "value": "1"}]"""));
            data.Add(backend, "metric without timestamp", Field("metrics", """[{"key": "m", "value": 1}]"""));
            data.Add(backend, "metric without value", Field("metrics", """[{"key": "m", "timestamp": 1}]"""));
            data.Add(backend, "metric value that is text", Field("metrics", """[{"key": "m", "value": "abc", "timestamp": 1}]"""));
            data.Add(backend, "step that is not an integer", Field("metrics", """[{"key": "m", "value": 1, "timestamp": 1, "step": 1.5}]"""));
            data.Add(backend, "metrics that is an object", Field("metrics", """{"key": "m"}"""));
            data.Add(backend, "param without value", Field("params", """[{"key": "p"}]"""));
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(LimitCases))]
    public async Task LogBatch_RejectsInvalidInput(string backend, string description, string fields)
    {
        var api = _servers.Api(backend);
        var runId = await api.CreateRunAsync(await api.CreateExperimentAsync());

        var response = await api.PostAsync("runs/log-batch", $$"""{"run_id": "{{runId}}", {{fields}}}""");

        Assert.True(response.Status == HttpStatusCode.BadRequest, $"{description}: {response.Body}");
        Assert.Equal("INVALID_PARAMETER_VALUE", response.ErrorCode);
    }

    [Theory]
    [MemberData(nameof(Backends.All), MemberType = typeof(Backends))]
    public async Task InvalidMetric_ErrorNamesIndexAndField(string backend)
    {
        var api = _servers.Api(backend);
        var runId = await api.CreateRunAsync(await api.CreateExperimentAsync());

        var response = await api.PostAsync("runs/log-batch",
            $$"""{"run_id": "{{runId}}", "metrics": [{"key": "m", "value": 1, "timestamp": 1}, {"key": "m", "value": "high", "timestamp": 2}]}""");

        response.AssertError(HttpStatusCode.BadRequest, "INVALID_PARAMETER_VALUE");
        Assert.Contains("metrics[1]", response.Message, StringComparison.Ordinal);
        Assert.Contains("'value'", response.Message, StringComparison.Ordinal);
        Assert.Contains("high", response.Message, StringComparison.Ordinal);
    }

    [Theory]
    [MemberData(nameof(Backends.All), MemberType = typeof(Backends))]
    public async Task LogBatch_BodyOverOneMegabyte_IsInvalid(string backend)
    {
        var api = _servers.Api(backend);
        var runId = await api.CreateRunAsync(await api.CreateExperimentAsync());
        var padding = new StringBuilder().Append('x', 1_000_001).ToString();

        var response = await api.PostAsync("runs/log-batch", $$"""{"run_id": "{{runId}}", "tags": [], "padding": "{{padding}}"}""");

        response.AssertError(HttpStatusCode.BadRequest, "INVALID_PARAMETER_VALUE");
        Assert.Contains("1000000", response.Message, StringComparison.Ordinal);
    }

    [Theory]
    [MemberData(nameof(Backends.All), MemberType = typeof(Backends))]
    public async Task LogMetric_PythonClientBody_IsAccepted(string backend)
    {
        var api = _servers.Api(backend);
        var runId = await api.CreateRunAsync(await api.CreateExperimentAsync());

        (await api.PostAsync("runs/log-metric",
            $$"""{"run_id": "{{runId}}", "run_uuid": "{{runId}}", "key": "acc", "value": 0.75, "timestamp": "1700000000000", "step": "3"}""")).EnsureOk();
        var metrics = await LatestMetricsAsync(api, runId);

        Assert.Equal(0.75, metrics["acc"].GetProperty("value").GetDouble());
        Assert.Equal(1700000000000, metrics["acc"].GetProperty("timestamp").GetInt64());
        Assert.Equal(3, metrics["acc"].GetProperty("step").GetInt64());
    }

    private static string Field(string name, string json) => $"\"{name}\": {json}";

    private static string Pairs(string prefix, int count) =>
        "[" + string.Join(", ", Enumerable.Range(0, count).Select(i => $$"""{"key": "{{prefix}}{{i}}", "value": "v"}""")) + "]";

    private static string Metrics(int count) =>
        Field("metrics", "[" + string.Join(", ", Enumerable.Range(0, count).Select(i => $$"""{"key": "m", "value": {{i}}, "timestamp": {{i}}, "step": {{i}}}""")) + "]");

    private static async Task LogMetricAsync(TrackingApi api, string runId, string key, string value, long timestamp, long step) =>
        (await api.PostAsync("runs/log-metric",
            $$"""{"run_id": "{{runId}}", "key": "{{key}}", "value": {{value}}, "timestamp": {{timestamp}}, "step": {{step}}}""")).EnsureOk();

    private static async Task<Dictionary<string, JsonElement>> LatestMetricsAsync(TrackingApi api, string runId)
    {
        var run = (await api.GetAsync($"/api/2.0/mlflow/runs/get?run_id={runId}")).EnsureOk().Json.GetProperty("run");
        return run.GetProperty("data").GetProperty("metrics").EnumerateArray()
            .ToDictionary(metric => metric.GetProperty("key").GetString()!);
    }
}
