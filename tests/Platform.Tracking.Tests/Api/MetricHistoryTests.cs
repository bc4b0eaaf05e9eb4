using System.Net;
using Platform.Tracking.Tests.Infrastructure;

namespace Platform.Tracking.Tests.Api;

[Collection(TrackingServersCollection.Name)]
public sealed class MetricHistoryTests
{
    private readonly TrackingServersFixture _servers;

    public MetricHistoryTests(TrackingServersFixture servers)
    {
        _servers = servers;
    }

    [Theory]
    [MemberData(nameof(Backends.All), MemberType = typeof(Backends))]
    public async Task GetHistory_PagesInStepOrder(string backend)
    {
        var api = _servers.Api(backend);
        var runId = await LogStepsAsync(api, 0, 50);

        var steps = new List<long>();
        string? token = null;
        var pages = 0;
        do
        {
            var query = $"/api/2.0/mlflow/metrics/get-history?run_id={runId}&run_uuid={runId}&metric_key=loss&max_results=20" +
                (token is null ? string.Empty : "&page_token=" + Uri.EscapeDataString(token));
            var page = (await api.GetAsync(query)).EnsureOk();
            foreach (var metric in page.Json.GetProperty("metrics").EnumerateArray())
            {
                Assert.Equal("loss", metric.GetProperty("key").GetString());
                steps.Add(metric.GetProperty("step").GetInt64());
            }

            token = page.Json.TryGetProperty("next_page_token", out var next) ? next.GetString() : null;
            pages++;
        }
        while (token is not null);

        Assert.Equal(3, pages);
        Assert.Equal(Enumerable.Range(0, 50).Select(i => (long)i).ToList(), steps);
    }

    [Theory]
    [MemberData(nameof(Backends.All), MemberType = typeof(Backends))]
    public async Task GetHistory_PageToken_KeepsItsEncoding(string backend)
    {
        // Clients store page tokens, so the bytes must not change between releases. This token encodes the sort
        // values of step 1 (step 1, timestamp 1001, not NaN, value 0.5) under the fingerprint of the step order.
        const string IssuedToken = "eyJmIjoiNUFCNUNBN0MwRDFDODUwQiIsInYiOlsiMSIsIjEwMDEiLCIwIiwiMC41Il19";
        var api = _servers.Api(backend);
        var runId = await LogStepsAsync(api, 0, 4);
        var history = $"/api/2.0/mlflow/metrics/get-history?run_id={runId}&metric_key=loss&max_results=2";

        var first = (await api.GetAsync(history)).EnsureOk();
        Assert.Equal(IssuedToken, first.Json.GetProperty("next_page_token").GetString());

        var second = (await api.GetAsync(history + "&page_token=" + Uri.EscapeDataString(IssuedToken))).EnsureOk();
        var steps = second.Json.GetProperty("metrics").EnumerateArray().Select(metric => metric.GetProperty("step").GetInt64()).ToList();
        Assert.Equal([2L, 3L], steps);
        Assert.False(second.Json.TryGetProperty("next_page_token", out _));
    }

    [Theory]
    [MemberData(nameof(Backends.All), MemberType = typeof(Backends))]
    public async Task GetHistory_WithoutMaxResults_ReturnsEverything(string backend)
    {
        var api = _servers.Api(backend);
        var runId = await LogStepsAsync(api, 0, 30);

        var response = (await api.GetAsync($"/api/2.0/mlflow/metrics/get-history?run_id={runId}&metric_key=loss")).EnsureOk();

        Assert.Equal(30, response.Json.GetProperty("metrics").GetArrayLength());
        Assert.False(response.Json.TryGetProperty("next_page_token", out _));
    }

    [Theory]
    [MemberData(nameof(Backends.All), MemberType = typeof(Backends))]
    public async Task GetHistory_UnknownRun_IsResourceDoesNotExist(string backend)
    {
        var response = await _servers.Api(backend).GetAsync($"/api/2.0/mlflow/metrics/get-history?run_id={Guid.NewGuid():N}&metric_key=loss");

        response.AssertError(HttpStatusCode.NotFound, "RESOURCE_DOES_NOT_EXIST");
    }

    [Theory]
    [MemberData(nameof(Backends.All), MemberType = typeof(Backends))]
    public async Task GetHistory_MissingKey_IsInvalid(string backend)
    {
        var api = _servers.Api(backend);
        var runId = await api.CreateRunAsync(await api.CreateExperimentAsync());

        var response = await api.GetAsync($"/api/2.0/mlflow/metrics/get-history?run_id={runId}");

        response.AssertError(HttpStatusCode.BadRequest, "INVALID_PARAMETER_VALUE");
    }

    [Theory]
    [MemberData(nameof(Backends.All), MemberType = typeof(Backends))]
    public async Task BulkInterval_SamplesStepsAcrossRuns(string backend)
    {
        var api = _servers.Api(backend);
        var first = await LogStepsAsync(api, 0, 100);
        var second = await LogStepsAsync(api, 0, 100);

        var response = (await api.GetAsync(
            $"/api/2.0/mlflow/metrics/get-history-bulk-interval?run_ids={first}&run_ids={second}&metric_key=loss&start_step=10&end_step=90&max_results=5")).EnsureOk();

        var metrics = response.Json.GetProperty("metrics").EnumerateArray().ToList();
        var firstSteps = metrics.Where(m => m.GetProperty("run_id").GetString() == first).Select(m => m.GetProperty("step").GetInt64()).ToList();
        var secondSteps = metrics.Where(m => m.GetProperty("run_id").GetString() == second).Select(m => m.GetProperty("step").GetInt64()).ToList();
        Assert.Equal([10L, 30L, 50L, 70L, 90L], firstSteps);
        Assert.Equal(firstSteps, secondSteps);
    }

    [Theory]
    [MemberData(nameof(Backends.All), MemberType = typeof(Backends))]
    public async Task BulkInterval_InvalidArguments_AreRejected(string backend)
    {
        var api = _servers.Api(backend);
        var runId = await api.CreateRunAsync(await api.CreateExperimentAsync());
        var tooManyRuns = string.Join("&", Enumerable.Range(0, 101).Select(_ => $"run_ids={Guid.NewGuid():N}"));

        var onlyStart = await api.GetAsync($"/api/2.0/mlflow/metrics/get-history-bulk-interval?run_ids={runId}&metric_key=loss&start_step=1");
        var reversed = await api.GetAsync($"/api/2.0/mlflow/metrics/get-history-bulk-interval?run_ids={runId}&metric_key=loss&start_step=5&end_step=1");
        var noRuns = await api.GetAsync("/api/2.0/mlflow/metrics/get-history-bulk-interval?metric_key=loss");
        var manyRuns = await api.GetAsync($"/api/2.0/mlflow/metrics/get-history-bulk-interval?{tooManyRuns}&metric_key=loss");
        var bigPage = await api.GetAsync($"/api/2.0/mlflow/metrics/get-history-bulk-interval?run_ids={runId}&metric_key=loss&max_results=2501");

        onlyStart.AssertError(HttpStatusCode.BadRequest, "INVALID_PARAMETER_VALUE");
        reversed.AssertError(HttpStatusCode.BadRequest, "INVALID_PARAMETER_VALUE");
        noRuns.AssertError(HttpStatusCode.BadRequest, "INVALID_PARAMETER_VALUE");
        manyRuns.AssertError(HttpStatusCode.BadRequest, "INVALID_PARAMETER_VALUE");
        bigPage.AssertError(HttpStatusCode.BadRequest, "INVALID_PARAMETER_VALUE");
    }

    private static async Task<string> LogStepsAsync(TrackingApi api, int from, int count)
    {
        var runId = await api.CreateRunAsync(await api.CreateExperimentAsync("history"));
        var metrics = string.Join(", ", Enumerable.Range(from, count).Select(i => $$"""{"key": "loss", "value": {{1.0 / (i + 1)}}, "timestamp": {{1000 + i}}, "step": {{i}}}"""));
        (await api.PostAsync("runs/log-batch", $$"""{"run_id": "{{runId}}", "metrics": [{{metrics}}]}""")).EnsureOk();
        return runId;
    }
}
