namespace Platform.Tracking.Client.Tests;

public sealed class RunScopeTests
{
    [Fact]
    public async Task Dispose_EndsRunFinished()
    {
        await using var server = await RecordingServer.StartAsync();
        var statuses = MlflowStubs.MapRunLifecycle(server);
        using var client = TestClients.Create(server);
        var before = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds();

        await using (var run = await client.StartRunAsync("0", "train"))
        {
            await run.LogParamAsync("lr", "0.1");
            Assert.Null(run.EndStatus);
        }

        Assert.Equal(["FINISHED"], statuses);
        var update = Assert.Single(server.RequestsTo("/api/2.0/mlflow/runs/update")).Json;
        Assert.Equal(MlflowStubs.RunId, update.GetProperty("run_id").GetString());
        Assert.InRange(update.GetProperty("end_time").GetInt64(), before, before + 60_000);
    }

    [Fact]
    public async Task MarkFailed_EndsRunFailed()
    {
        await using var server = await RecordingServer.StartAsync();
        var statuses = MlflowStubs.MapRunLifecycle(server);
        using var client = TestClients.Create(server);
        ActiveRun? started = null;

        var error = await Assert.ThrowsAsync<InvalidDataException>(async () =>
        {
            await using var run = await client.StartRunAsync("0", "train");
            started = run;
            try
            {
                throw new InvalidDataException("bad row 17");
            }
            catch (Exception ex)
            {
                run.MarkFailed(ex);
                throw;
            }
        });

        Assert.Equal("bad row 17", error.Message);
        Assert.Equal(["FAILED"], statuses);
        Assert.Equal(RunStatus.Failed, started!.EndStatus);
        Assert.Same(error, started.Failure);
    }

    [Fact]
    public async Task RunAsync_EndsFinishedAndReturnsResult()
    {
        await using var server = await RecordingServer.StartAsync();
        var statuses = MlflowStubs.MapRunLifecycle(server);
        using var client = TestClients.Create(server);

        var result = await client.RunAsync("0", "train", async run =>
        {
            run.LogMetric("loss", 0.5);
            await Task.Yield();
            return 42;
        });

        Assert.Equal(42, result);
        Assert.Equal(["FINISHED"], statuses);
        Assert.Single(server.RequestsTo("/api/2.0/mlflow/runs/log-batch"));
    }

    [Fact]
    public async Task RunAsync_EndsFailedAndRethrows()
    {
        await using var server = await RecordingServer.StartAsync();
        var statuses = MlflowStubs.MapRunLifecycle(server);
        using var client = TestClients.Create(server);

        var error = await Assert.ThrowsAsync<InvalidOperationException>(() =>
            client.RunAsync("0", "train", _ => throw new InvalidOperationException("diverged")));

        Assert.Equal("diverged", error.Message);
        Assert.Equal(["FAILED"], statuses);
    }

    [Fact]
    public async Task RunAsync_EndsKilledOnCancellation()
    {
        await using var server = await RecordingServer.StartAsync();
        var statuses = MlflowStubs.MapRunLifecycle(server);
        using var client = TestClients.Create(server);
        using var cancellation = new CancellationTokenSource();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() =>
            client.RunAsync("0", "train", async _ =>
            {
                await cancellation.CancelAsync();
                cancellation.Token.ThrowIfCancellationRequested();
            }, cancellationToken: cancellation.Token));

        Assert.Equal(["KILLED"], statuses);
    }

    [Fact]
    public async Task MarkFailed_Cancellation_EndsRunKilled()
    {
        await using var server = await RecordingServer.StartAsync();
        var statuses = MlflowStubs.MapRunLifecycle(server);
        using var client = TestClients.Create(server);
        using var cancellation = new CancellationTokenSource();
        ActiveRun? started = null;

        await Assert.ThrowsAnyAsync<OperationCanceledException>(async () =>
        {
            await using var run = await client.StartRunAsync("0", "train");
            started = run;
            try
            {
                await cancellation.CancelAsync();
                await Task.Delay(Timeout.Infinite, cancellation.Token);
            }
            catch (Exception ex)
            {
                run.MarkFailed(ex);
                throw;
            }
        });

        Assert.Equal(["KILLED"], statuses);
        Assert.Equal(RunStatus.Killed, started!.EndStatus);
        Assert.IsAssignableFrom<OperationCanceledException>(started.Failure);
    }

    [Fact]
    public async Task MarkFailed_HttpTimeout_EndsRunFailed()
    {
        await using var server = await RecordingServer.StartAsync();
        var statuses = MlflowStubs.MapRunLifecycle(server);
        using var client = TestClients.Create(server);

        await using (var run = await client.StartRunAsync("0", "train"))
        {
            // HttpClient reports its own timeout this way, and that is a failure, not a cancellation by the caller.
            run.MarkFailed(new TaskCanceledException("timed out", new TimeoutException()));
        }

        Assert.Equal(["FAILED"], statuses);
    }

    [Fact]
    public async Task AbortedEnd_ServerGone_GivesUpInTime()
    {
        var server = await RecordingServer.StartAsync();
        MlflowStubs.MapRunLifecycle(server);
        using var client = TestClients.Create(server, o =>
        {
            o.MaxRetries = 10;
            o.InitialBackoff = TimeSpan.FromSeconds(1);
            o.MaxBackoff = TimeSpan.FromSeconds(1);
            o.AbortedRunEndTimeout = TimeSpan.FromMilliseconds(500);
        });
        var run = await client.StartRunAsync("0", "train");
        run.LogMetric("loss", 1);
        await server.DisposeAsync();
        var clock = System.Diagnostics.Stopwatch.StartNew();

        run.MarkFailed(new OperationCanceledException());
        await run.DisposeAsync();

        Assert.InRange(clock.Elapsed, TimeSpan.Zero, TimeSpan.FromSeconds(5));
        Assert.Null(run.EndStatus);
    }

    [Fact]
    public async Task EndAsync_IsIdempotent()
    {
        await using var server = await RecordingServer.StartAsync();
        var statuses = MlflowStubs.MapRunLifecycle(server);
        using var client = TestClients.Create(server);

        await using (var run = await client.StartRunAsync("0"))
        {
            await run.EndAsync(RunStatus.Killed);
            await run.EndAsync(RunStatus.Finished);
        }

        Assert.Equal(["KILLED"], statuses);
    }

    [Fact]
    public async Task LogAfterEnd_Throws()
    {
        await using var server = await RecordingServer.StartAsync();
        MlflowStubs.MapRunLifecycle(server);
        using var client = TestClients.Create(server);
        var run = await client.StartRunAsync("0");
        await run.EndAsync();

        var error = Assert.Throws<InvalidOperationException>(() => run.LogMetric("loss", 1));

        Assert.Contains("already ended with status Finished", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task FailedUpdate_DoesNotHideBodyException()
    {
        await using var server = await RecordingServer.StartAsync();
        MlflowStubs.MapRunLifecycle(server);
        server.OnJson("POST", "/api/2.0/mlflow/runs/update", """{"error_code":"INTERNAL_ERROR","message":"db down"}""", 500);
        using var client = TestClients.Create(server, o => o.MaxRetries = 0);

        var error = await Assert.ThrowsAsync<ArithmeticException>(() =>
            client.RunAsync("0", "train", _ => throw new ArithmeticException("overflow")));

        Assert.Equal("overflow", error.Message);
    }
}
