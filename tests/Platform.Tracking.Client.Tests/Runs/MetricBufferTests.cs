namespace Platform.Tracking.Client.Tests;

public sealed class MetricBufferTests
{
    [Fact]
    public async Task Flush_Sends2500MetricsInThreeBatches()
    {
        await using var server = await RecordingServer.StartAsync();
        MlflowStubs.MapRunLifecycle(server);
        using var client = TestClients.Create(server);
        await using var run = await client.StartRunAsync("0");

        for (var step = 0; step < 2500; step++)
        {
            run.LogMetric("loss", 1.0 / (step + 1), step, timestamp: 1000 + step);
        }

        await run.FlushAsync();

        var batches = server.RequestsTo("/api/2.0/mlflow/runs/log-batch").Select(r => r.Json.GetProperty("metrics")).ToList();
        Assert.Equal([1000, 1000, 500], batches.Select(b => b.GetArrayLength()));
        var steps = batches.SelectMany(b => b.EnumerateArray()).Select(m => m.GetProperty("step").GetInt64()).ToList();
        Assert.Equal(Enumerable.Range(0, 2500).Select(i => (long)i), steps);
        Assert.Equal(0, run.BufferedMetricCount);
    }

    [Fact]
    public async Task LogMetrics_SharesStepAndTimestamp()
    {
        await using var server = await RecordingServer.StartAsync();
        MlflowStubs.MapRunLifecycle(server);
        using var client = TestClients.Create(server);
        await using var run = await client.StartRunAsync("0");

        run.LogMetrics(new Dictionary<string, double> { ["auc"] = 0.7, ["logloss"] = 0.4 }, step: 3, timestamp: 99);
        await run.FlushAsync();

        Assert.Equal(
            """{"run_id":"0123456789abcdef0123456789abcdef","metrics":[{"key":"auc","value":0.7,"timestamp":99,"step":3},{"key":"logloss","value":0.4,"timestamp":99,"step":3}]}""",
            Assert.Single(server.RequestsTo("/api/2.0/mlflow/runs/log-batch")).Body);
    }

    [Fact]
    public async Task SetTags_SendsOneBatch()
    {
        await using var server = await RecordingServer.StartAsync();
        MlflowStubs.MapRunLifecycle(server);
        using var client = TestClients.Create(server);
        await using var run = await client.StartRunAsync("0");

        await run.SetTagsAsync(new Dictionary<string, string> { ["stage"] = "train", ["data"] = "criteo" });

        Assert.Equal(
            """{"run_id":"0123456789abcdef0123456789abcdef","tags":[{"key":"stage","value":"train"},{"key":"data","value":"criteo"}]}""",
            Assert.Single(server.RequestsTo("/api/2.0/mlflow/runs/log-batch")).Body);
    }

    [Fact]
    public async Task Dispose_FlushesBeforeEndingRun()
    {
        await using var server = await RecordingServer.StartAsync();
        MlflowStubs.MapRunLifecycle(server);
        using var client = TestClients.Create(server);

        await using (var run = await client.StartRunAsync("0"))
        {
            for (var step = 0; step < 10; step++)
            {
                run.LogMetric("auc", 0.5 + (step / 100.0), step);
            }
        }

        var paths = server.Requests.Select(r => r.Path).ToList();
        Assert.Equal(["/api/2.0/mlflow/runs/create", "/api/2.0/mlflow/runs/log-batch", "/api/2.0/mlflow/runs/update"], paths);
        Assert.Equal(10, server.Requests[1].Json.GetProperty("metrics").GetArrayLength());
    }

    [Fact]
    public async Task BackgroundLoop_FlushesOnInterval()
    {
        await using var server = await RecordingServer.StartAsync();
        MlflowStubs.MapRunLifecycle(server);
        using var client = TestClients.Create(server, o => o.MetricFlushInterval = TimeSpan.FromMilliseconds(50));
        await using var run = await client.StartRunAsync("0");

        run.LogMetric("loss", 0.3);
        var deadline = DateTime.UtcNow.AddSeconds(10);
        while (server.RequestsTo("/api/2.0/mlflow/runs/log-batch").Count == 0 && DateTime.UtcNow < deadline)
        {
            await Task.Delay(20);
        }

        Assert.Single(server.RequestsTo("/api/2.0/mlflow/runs/log-batch"));
        Assert.Equal(0, run.BufferedMetricCount);
    }

    [Fact]
    public async Task BackgroundLoop_SendsFullBatchesEarly()
    {
        await using var server = await RecordingServer.StartAsync();
        MlflowStubs.MapRunLifecycle(server);
        using var client = TestClients.Create(server, o => o.MaxMetricsPerBatch = 100);
        await using var run = await client.StartRunAsync("0");

        for (var step = 0; step < 250; step++)
        {
            run.LogMetric("loss", step, step);
        }

        var deadline = DateTime.UtcNow.AddSeconds(10);
        while (server.RequestsTo("/api/2.0/mlflow/runs/log-batch").Count < 2 && DateTime.UtcNow < deadline)
        {
            await Task.Delay(20);
        }

        var sizes = server.RequestsTo("/api/2.0/mlflow/runs/log-batch").Select(r => r.Json.GetProperty("metrics").GetArrayLength()).ToList();
        Assert.Equal([100, 100], sizes);
        Assert.Equal(50, run.BufferedMetricCount);
    }

    [Fact]
    public async Task RejectedBatch_IsReportedAndDropped()
    {
        await using var server = await RecordingServer.StartAsync();
        MlflowStubs.MapRunLifecycle(server);
        server.OnJson("POST", "/api/2.0/mlflow/runs/log-batch", """{"error_code":"INVALID_PARAMETER_VALUE","message":"Invalid metric name: '!!'"}""", 400);
        using var client = TestClients.Create(server);
        await using var run = await client.StartRunAsync("0");
        run.LogMetric("!!", 1);

        var error = await Assert.ThrowsAsync<MlflowException>(() => run.FlushAsync());
        await run.FlushAsync();

        Assert.Equal("INVALID_PARAMETER_VALUE", error.ErrorCode);
        Assert.Single(server.RequestsTo("/api/2.0/mlflow/runs/log-batch"));
        Assert.Equal(0, run.BufferedMetricCount);
    }

    [Fact]
    public async Task TransientFailure_KeepsMetricsForNextFlush()
    {
        await using var server = await RecordingServer.StartAsync();
        MlflowStubs.MapRunLifecycle(server);
        var calls = 0;
        server.On("POST", "/api/2.0/mlflow/runs/log-batch", (context, _) =>
            Interlocked.Increment(ref calls) == 1
                ? RecordingServer.WriteJsonAsync(context, """{"error_code":"TEMPORARILY_UNAVAILABLE","message":"busy"}""", 503)
                : RecordingServer.WriteJsonAsync(context, "{}"));
        using var client = TestClients.Create(server, o => o.MaxRetries = 0);
        await using var run = await client.StartRunAsync("0");
        run.LogMetric("loss", 1, 0);
        run.LogMetric("loss", 2, 1);

        await Assert.ThrowsAsync<MlflowException>(() => run.FlushAsync());
        Assert.Equal(2, run.BufferedMetricCount);
        run.LogMetric("loss", 3, 2);
        await run.FlushAsync();

        var last = server.RequestsTo("/api/2.0/mlflow/runs/log-batch")[^1].Json.GetProperty("metrics");
        Assert.Equal([0L, 1L, 2L], last.EnumerateArray().Select(m => m.GetProperty("step").GetInt64()));
    }

    [Fact]
    public async Task LogMetricAsync_FlushesWhenBufferIsFull()
    {
        await using var server = await RecordingServer.StartAsync();
        MlflowStubs.MapRunLifecycle(server);
        using var client = TestClients.Create(server, o =>
        {
            o.MaxMetricsPerBatch = 10;
            o.MaxBufferedMetrics = 10;
        });
        await using var run = await client.StartRunAsync("0");

        for (var step = 0; step < 10; step++)
        {
            await run.LogMetricAsync("loss", step, step);
        }

        Assert.Equal(0, run.BufferedMetricCount);
        Assert.Equal(10, server.RequestsTo("/api/2.0/mlflow/runs/log-batch").Sum(r => r.Json.GetProperty("metrics").GetArrayLength()));
    }

    [Fact]
    public async Task FlushFailureOnEnd_StillEndsRun()
    {
        await using var server = await RecordingServer.StartAsync();
        var statuses = MlflowStubs.MapRunLifecycle(server);
        server.OnJson("POST", "/api/2.0/mlflow/runs/log-batch", """{"error_code":"INVALID_PARAMETER_VALUE","message":"bad"}""", 400);
        using var client = TestClients.Create(server);
        var run = await client.StartRunAsync("0");
        run.LogMetric("loss", 1);

        await Assert.ThrowsAsync<MlflowException>(() => run.EndAsync());

        Assert.Equal(["FINISHED"], statuses);
        Assert.Equal(RunStatus.Finished, run.EndStatus);
    }
}
