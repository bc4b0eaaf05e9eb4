using System.Diagnostics;
using System.Net;
using System.Net.Http.Headers;
using System.Net.Sockets;

namespace Platform.Tracking.Client.Tests;

public sealed class RetryTests
{
    private const string ExperimentJson = """{"experiment":{"experiment_id":"1","name":"a"}}""";

    [Fact]
    public async Task TooManyRequests_HonoursRetryAfter()
    {
        await using var server = await RecordingServer.StartAsync();
        var calls = 0;
        server.On("GET", "/api/2.0/mlflow/experiments/get", async (context, _) =>
        {
            if (Interlocked.Increment(ref calls) == 1)
            {
                context.Response.Headers.RetryAfter = "1";
                await RecordingServer.WriteJsonAsync(context, """{"error_code":"REQUEST_LIMIT_EXCEEDED","message":"slow down"}""", 429);
                return;
            }

            await RecordingServer.WriteJsonAsync(context, ExperimentJson);
        });
        using var client = TestClients.Create(server);
        var stopwatch = Stopwatch.StartNew();

        var experiment = await client.Experiments.GetAsync("1");

        Assert.Equal("1", experiment.ExperimentId);
        Assert.Equal(2, calls);
        // The configured backoff is 5 ms, so a wait near one second can only come from Retry-After.
        Assert.True(stopwatch.Elapsed >= TimeSpan.FromMilliseconds(900), $"retried after {stopwatch.Elapsed}");
    }

    [Fact]
    public async Task ServiceUnavailable_RetriesUntilSuccess()
    {
        await using var server = await RecordingServer.StartAsync();
        var calls = 0;
        server.On("POST", "/api/2.0/mlflow/experiments/create", (context, _) =>
            Interlocked.Increment(ref calls) <= 2
                ? RecordingServer.WriteJsonAsync(context, """{"error_code":"TEMPORARILY_UNAVAILABLE","message":"busy"}""", 503)
                : RecordingServer.WriteJsonAsync(context, """{"experiment_id":"9"}"""));
        using var client = TestClients.Create(server);

        var id = await client.Experiments.CreateAsync("e");

        Assert.Equal("9", id);
        Assert.Equal(3, calls);
        Assert.All(server.Requests, r => Assert.Equal("""{"name":"e"}""", r.Body));
    }

    [Fact]
    public async Task ServiceUnavailable_ThrowsAfterMaxRetries()
    {
        await using var server = await RecordingServer.StartAsync();
        server.OnJson("POST", "/api/2.0/mlflow/experiments/create", """{"error_code":"TEMPORARILY_UNAVAILABLE","message":"busy"}""", 503);
        using var client = TestClients.Create(server, o => o.MaxRetries = 2);

        var error = await Assert.ThrowsAsync<MlflowException>(() => client.Experiments.CreateAsync("e"));

        Assert.Equal("TEMPORARILY_UNAVAILABLE", error.ErrorCode);
        Assert.Equal(HttpStatusCode.ServiceUnavailable, error.StatusCode);
        Assert.Equal(3, server.Requests.Count);
    }

    [Fact]
    public async Task BadRequest_IsNotRetried()
    {
        await using var server = await RecordingServer.StartAsync();
        server.OnJson("POST", "/api/2.0/mlflow/experiments/create", """{"error_code":"INVALID_PARAMETER_VALUE","message":"bad name"}""", 400);
        using var client = TestClients.Create(server);

        var error = await Assert.ThrowsAsync<MlflowException>(() => client.Experiments.CreateAsync("e"));

        Assert.Equal("INVALID_PARAMETER_VALUE", error.ErrorCode);
        Assert.Single(server.Requests);
    }

    [Fact]
    public async Task NotImplemented_IsNotRetried()
    {
        await using var server = await RecordingServer.StartAsync();
        server.OnJson("POST", "/api/2.0/mlflow/experiments/create", """{"error_code":"NOT_IMPLEMENTED","message":"no"}""", 501);
        using var client = TestClients.Create(server);

        await Assert.ThrowsAsync<MlflowException>(() => client.Experiments.CreateAsync("e"));

        Assert.Single(server.Requests);
    }

    [Fact]
    public async Task UnwrappedSocketError_IsRetried()
    {
        await using var server = await RecordingServer.StartAsync();
        server.On("GET", "/api/2.0/mlflow/experiments/get", (context, _) => RecordingServer.WriteJsonAsync(context, ExperimentJson));
        using var handler = new SocketErrorHandler(failures: 1) { InnerHandler = new SocketsHttpHandler() };
        using var http = new HttpClient(handler) { Timeout = Timeout.InfiniteTimeSpan };
        using var client = new TrackingClient(http, TestClients.Options(server.TrackingUri));

        var experiment = await client.Experiments.GetAsync("1");

        Assert.Equal("1", experiment.ExperimentId);
        Assert.Equal(2, handler.Calls);
        Assert.Single(server.Requests);
    }

    [Fact]
    public async Task UnwrappedSocketError_WrappedAfterRetries()
    {
        await using var server = await RecordingServer.StartAsync();
        using var handler = new SocketErrorHandler(failures: int.MaxValue) { InnerHandler = new SocketsHttpHandler() };
        using var http = new HttpClient(handler) { Timeout = Timeout.InfiniteTimeSpan };
        using var client = new TrackingClient(http, TestClients.Options(server.TrackingUri, o => o.MaxRetries = 2));

        var error = await Assert.ThrowsAsync<HttpRequestException>(() => client.Experiments.GetAsync("1"));

        Assert.IsType<SocketException>(error.InnerException);
        Assert.Contains("3 attempts", error.Message, StringComparison.Ordinal);
        Assert.Equal(3, handler.Calls);
    }

    [Fact]
    public async Task DroppedConnections_AreRetriedThenThrown()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var accepted = 0;
        using var stop = new CancellationTokenSource();
        var acceptLoop = Task.Run(async () =>
        {
            while (!stop.IsCancellationRequested)
            {
                using var socket = await listener.AcceptSocketAsync(stop.Token);
                Interlocked.Increment(ref accepted);
                socket.Close(0);
            }
        });
        var port = ((IPEndPoint)listener.LocalEndpoint).Port;
        using var client = new TrackingClient(TestClients.Options(new Uri($"http://127.0.0.1:{port}"), o => o.MaxRetries = 2));

        await Assert.ThrowsAsync<HttpRequestException>(() => client.Experiments.GetAsync("1"));

        Assert.Equal(3, Volatile.Read(ref accepted));
        await stop.CancelAsync();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => acceptLoop);
    }

    [Fact]
    public async Task SlowServer_TimesOutPerAttempt()
    {
        await using var server = await RecordingServer.StartAsync();
        server.On("GET", "/api/2.0/mlflow/experiments/get", async (context, _) =>
        {
            await Task.Delay(TimeSpan.FromSeconds(5), context.RequestAborted).ContinueWith(_ => { }, TaskScheduler.Default);
        });
        using var client = TestClients.Create(server, o =>
        {
            o.MaxRetries = 1;
            o.RequestTimeout = TimeSpan.FromSeconds(1);
        });

        var error = await Assert.ThrowsAsync<TimeoutException>(() => client.Experiments.GetAsync("1"));

        Assert.Contains("timed out", error.Message, StringComparison.Ordinal);
        Assert.Equal(2, server.Requests.Count);
    }

    [Fact]
    public async Task CallerCancellation_IsNotRetried()
    {
        await using var server = await RecordingServer.StartAsync();
        var arrived = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        server.On("GET", "/api/2.0/mlflow/experiments/get", async (context, _) =>
        {
            arrived.TrySetResult();
            await Task.Delay(TimeSpan.FromSeconds(10), context.RequestAborted).ContinueWith(_ => { }, TaskScheduler.Default);
        });
        using var client = TestClients.Create(server);
        using var cancellation = new CancellationTokenSource();

        var call = client.Experiments.GetAsync("1", cancellation.Token);
        await arrived.Task.WaitAsync(TimeSpan.FromSeconds(10));
        await cancellation.CancelAsync();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => call);
        Assert.Single(server.Requests);
    }

    [Fact]
    public void Delay_GrowsExponentiallyUpToCap()
    {
        var policy = new RetryPolicy(new TrackingClientOptions
        {
            InitialBackoff = TimeSpan.FromSeconds(1),
            MaxBackoff = TimeSpan.FromSeconds(10),
            MaxJitter = TimeSpan.FromMilliseconds(500),
        });
        var now = DateTimeOffset.UtcNow;

        Assert.InRange(policy.GetDelay(0, null, now), TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(1.5));
        Assert.InRange(policy.GetDelay(2, null, now), TimeSpan.FromSeconds(4), TimeSpan.FromSeconds(4.5));
        Assert.InRange(policy.GetDelay(20, null, now), TimeSpan.FromSeconds(10), TimeSpan.FromSeconds(10.5));
    }

    [Fact]
    public void Delay_UsesRetryAfterDateAndCap()
    {
        var policy = new RetryPolicy(new TrackingClientOptions { MaxRetryAfter = TimeSpan.FromSeconds(30) });
        var now = new DateTimeOffset(2026, 1, 1, 0, 0, 0, TimeSpan.Zero);

        Assert.Equal(TimeSpan.FromSeconds(12), policy.GetDelay(0, new RetryConditionHeaderValue(now.AddSeconds(12)), now));
        Assert.Equal(TimeSpan.FromSeconds(30), policy.GetDelay(0, new RetryConditionHeaderValue(TimeSpan.FromHours(1)), now));
        Assert.Equal(TimeSpan.Zero, policy.GetDelay(0, new RetryConditionHeaderValue(now.AddSeconds(-5)), now));
    }

    // Handler that throws a bare SocketException, as .NET 10's SocketsHttpHandler did in CI when the server reset a
    // connection right after accepting it. HttpClient does not wrap that exception in HttpRequestException.
    private sealed class SocketErrorHandler(int failures) : DelegatingHandler
    {
        private int _calls;

        public int Calls => Volatile.Read(ref _calls);

        protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken) =>
            Interlocked.Increment(ref _calls) <= failures
                ? throw new SocketException((int)SocketError.NotConnected)
                : base.SendAsync(request, cancellationToken);
    }
}
