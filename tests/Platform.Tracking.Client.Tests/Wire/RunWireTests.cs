namespace Platform.Tracking.Client.Tests;

public sealed class RunWireTests
{
    [Fact]
    public async Task CreateRun_SendsTagsAndStartTime()
    {
        await using var server = await RecordingServer.StartAsync("/u/bob");
        MlflowStubs.MapRunLifecycle(server);
        using var client = TestClients.Create(server);
        var before = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds();

        var run = await client.Runs.CreateAsync("0", "train", new Dictionary<string, string> { ["mlflow.source.name"] = "worker" });

        Assert.Equal(MlflowStubs.RunId, run.Info.RunId);
        Assert.Equal(RunStatus.Running, run.Info.Status);
        var request = Assert.Single(server.Requests);
        Assert.Equal("/u/bob/api/2.0/mlflow/runs/create", request.Path);
        var body = request.Json;
        Assert.Equal("0", body.GetProperty("experiment_id").GetString());
        Assert.Equal("train", body.GetProperty("run_name").GetString());
        Assert.InRange(body.GetProperty("start_time").GetInt64(), before, before + 60_000);
        Assert.Equal("mlflow.source.name", body.GetProperty("tags")[0].GetProperty("key").GetString());
    }

    [Fact]
    public async Task LogBatch_WritesNonFiniteValuesAsStrings()
    {
        await using var server = await RecordingServer.StartAsync();
        MlflowStubs.MapRunLifecycle(server);
        using var client = TestClients.Create(server);

        await client.Runs.LogBatchAsync("r1", [
            new Metric("loss", double.NaN, 1, 0),
            new Metric("loss", double.PositiveInfinity, 2, 1),
            new Metric("loss", double.NegativeInfinity, 3, 2),
            new Metric("loss", 0.25, 4, 3),
        ]);

        Assert.Equal(
            """{"run_id":"r1","metrics":[{"key":"loss","value":"NaN","timestamp":1,"step":0},{"key":"loss","value":"Infinity","timestamp":2,"step":1},{"key":"loss","value":"-Infinity","timestamp":3,"step":2},{"key":"loss","value":0.25,"timestamp":4,"step":3}]}""",
            Assert.Single(server.Requests).Body);
    }

    [Fact]
    public async Task LogBatch_SplitsParamsAndMetricsAtLimits()
    {
        await using var server = await RecordingServer.StartAsync();
        MlflowStubs.MapRunLifecycle(server);
        using var client = TestClients.Create(server);
        var parameters = Enumerable.Range(0, 150).Select(i => new Param($"p{i}", "v")).ToList();
        var metrics = Enumerable.Range(0, 1001).Select(i => new Metric("m", i, 1, i)).ToList();

        await client.Runs.LogBatchAsync("r1", metrics, parameters);

        var bodies = server.Requests.Select(r => r.Json).ToList();
        Assert.Equal(4, bodies.Count);
        Assert.Equal(100, bodies[0].GetProperty("params").GetArrayLength());
        Assert.Equal(50, bodies[1].GetProperty("params").GetArrayLength());
        Assert.Equal(1000, bodies[2].GetProperty("metrics").GetArrayLength());
        Assert.Equal(1, bodies[3].GetProperty("metrics").GetArrayLength());
    }

    [Fact]
    public async Task MetricHistory_ReadsStringNumbersAndFollowsPages()
    {
        await using var server = await RecordingServer.StartAsync();
        server.On("GET", "/api/2.0/mlflow/metrics/get-history", (context, request) =>
            request.Query("page_token").Count == 0
                ? RecordingServer.WriteJsonAsync(context, """{"metrics":[{"key":"auc","value":"NaN","timestamp":"5","step":"1"}],"next_page_token":"p2"}""")
                : RecordingServer.WriteJsonAsync(context, """{"metrics":[{"key":"auc","value":"-Infinity","timestamp":6,"step":2},{"key":"auc","value":0.5,"timestamp":7,"step":3}]}"""));
        using var client = TestClients.Create(server);

        var history = await client.Runs.GetMetricHistoryAsync("r1", "auc");

        Assert.Equal(3, history.Count);
        Assert.True(double.IsNaN(history[0].Value));
        Assert.Equal(5, history[0].Timestamp);
        Assert.Equal(double.NegativeInfinity, history[1].Value);
        Assert.Equal(0.5, history[2].Value);
        var requests = server.Requests;
        Assert.Equal(2, requests.Count);
        Assert.Equal(["r1"], requests[0].Query("run_id"));
        Assert.Equal(["auc"], requests[0].Query("metric_key"));
        Assert.Equal(["p2"], requests[1].Query("page_token"));
    }

    [Fact]
    public async Task SearchRuns_SendsExperimentIdsAndFilter()
    {
        await using var server = await RecordingServer.StartAsync();
        server.OnJson("POST", "/api/2.0/mlflow/runs/search", $$"""{"runs":[{{MlflowStubs.RunJson()}}],"next_page_token":"n"}""");
        using var client = TestClients.Create(server);

        var page = await client.Runs.SearchAsync(["1", "2"], "metrics.auc > 0.5", ["start_time DESC"], maxResults: 50);

        Assert.Equal("n", page.NextPageToken);
        Assert.Equal(MlflowStubs.RunId, Assert.Single(page.Runs).Info.RunId);
        Assert.Equal(
            """{"experiment_ids":["1","2"],"filter":"metrics.auc \u003E 0.5","run_view_type":"ACTIVE_ONLY","max_results":50,"order_by":["start_time DESC"]}""",
            Assert.Single(server.Requests).Body);
    }

    [Fact]
    public async Task UpdateRun_SendsRunIdTwice()
    {
        await using var server = await RecordingServer.StartAsync();
        MlflowStubs.MapRunLifecycle(server);
        using var client = TestClients.Create(server);

        var info = await client.Runs.UpdateAsync(MlflowStubs.RunId, RunStatus.Killed, 123);

        Assert.Equal(RunStatus.Killed, info.Status);
        Assert.Equal(
            $$"""{"run_id":"{{MlflowStubs.RunId}}","run_uuid":"{{MlflowStubs.RunId}}","status":"KILLED","end_time":123}""",
            Assert.Single(server.Requests).Body);
    }
}
