using System.Net;
using System.Text;
using Platform.Tracking.Tests.Infrastructure;

namespace Platform.Tracking.Tests.Api;

[Collection(TrackingServersCollection.Name)]
public sealed class ErrorResponseTests
{
    private readonly TrackingServersFixture _servers;

    public ErrorResponseTests(TrackingServersFixture servers)
    {
        _servers = servers;
    }

    [Theory]
    [MemberData(nameof(Backends.All), MemberType = typeof(Backends))]
    public async Task UnknownRoute_IsEndpointNotFoundJson(string backend)
    {
        var api = _servers.Api(backend);

        var tracking = await api.PostAsync("registered-models/nothing-here", "{}");
        var otherApi = await api.GetAsync("/api/2.0/preview/mlflow/experiments/list");

        tracking.AssertError(HttpStatusCode.NotFound, "ENDPOINT_NOT_FOUND");
        otherApi.AssertError(HttpStatusCode.NotFound, "ENDPOINT_NOT_FOUND");
    }

    [Theory]
    [MemberData(nameof(Backends.All), MemberType = typeof(Backends))]
    public async Task WrongMethod_Is405Json(string backend)
    {
        var api = _servers.Api(backend);

        var response = await api.SendAsync(HttpMethod.Put, "experiments/create", "{}", null);

        response.AssertError(HttpStatusCode.MethodNotAllowed, "METHOD_NOT_ALLOWED");
    }

    public static TheoryData<string, string, string> BadBodies()
    {
        var data = new TheoryData<string, string, string>();
        foreach (var backend in new[] { Backends.Sqlite, Backends.Postgres })
        {
            data.Add(backend, "experiments/create", "{\"name\": ");
            data.Add(backend, "experiments/create", "[1, 2]");
            data.Add(backend, "experiments/create", "{\"name\": true}");
            data.Add(backend, "experiments/create", "{\"name\": {\"first\": 1}}");
            data.Add(backend, "experiments/create", "{\"name\": \"x\", \"tags\": \"oops\"}");
            data.Add(backend, "experiments/create", "{\"name\": \"x\", \"tags\": [{\"key\": [1], \"value\": \"v\"}]}");
            data.Add(backend, "experiments/search", "{\"max_results\": \"many\"}");
            data.Add(backend, "experiments/search", "{\"view_type\": \"SOME\"}");
            data.Add(backend, "runs/create", "{\"experiment_id\": \"1\", \"start_time\": \"soon\"}");
            data.Add(backend, "runs/create", "{\"experiment_id\": \"not/valid\"}");
            data.Add(backend, "runs/search", "{\"experiment_ids\": \"0\"}");
            data.Add(backend, "runs/log-metric", "{\"key\": \"m\", \"value\": 1, \"timestamp\": 1}");
            data.Add(backend, "runs/log-metric", "{\"run_id\": \"../etc\", \"key\": \"m\", \"value\": 1, \"timestamp\": 1}");
            data.Add(backend, "runs/update", "{\"run_id\": false}");
            data.Add(backend, "experiments/update", "{\"experiment_id\": \"0\"}");
            data.Add(backend, "experiments/delete", "{}");
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(BadBodies))]
    public async Task BadInput_Is400WithJson(string backend, string route, string body)
    {
        var response = await _servers.Api(backend).PostAsync(route, body);

        Assert.True(response.Status == HttpStatusCode.BadRequest, $"{route} {body}: {(int)response.Status} {response.Body}");
        Assert.Equal("INVALID_PARAMETER_VALUE", response.ErrorCode);
    }

    [Theory]
    [MemberData(nameof(Backends.All), MemberType = typeof(Backends))]
    public async Task DoubleEncodedBody_IsAccepted(string backend)
    {
        var api = _servers.Api(backend);
        var name = "double-" + Guid.NewGuid().ToString("N");

        var response = await api.PostAsync("experiments/create", $"\"{{\\\"name\\\": \\\"{name}\\\"}}\"");

        response.EnsureOk();
    }

    [Theory]
    [MemberData(nameof(Backends.All), MemberType = typeof(Backends))]
    public async Task OversizedBody_IsRejectedWith400(string backend)
    {
        // A raw socket announces a 40 MB body without sending it, because the server rejects it from Content-Length alone.
        var address = _servers.Api(backend).Http.BaseAddress!;
        using var client = new System.Net.Sockets.TcpClient();
        await client.ConnectAsync(address.Host, address.Port);
        await using var stream = client.GetStream();
        var head = $"POST /api/2.0/mlflow/experiments/create HTTP/1.1\r\nHost: {address.Authority}\r\n" +
            "Content-Type: application/json\r\nContent-Length: 40000000\r\n\r\n{\"name\": \"";
        await stream.WriteAsync(Encoding.ASCII.GetBytes(head));

        var buffer = new byte[4096];
        var read = await stream.ReadAsync(buffer);
        var response = Encoding.UTF8.GetString(buffer, 0, read);

        Assert.StartsWith("HTTP/1.1 400", response, StringComparison.Ordinal);
        Assert.Contains("INVALID_PARAMETER_VALUE", response, StringComparison.Ordinal);
    }

    [Theory]
    [MemberData(nameof(Backends.All), MemberType = typeof(Backends))]
    public async Task HealthProbes_Answer(string backend)
    {
        var api = _servers.Api(backend);

        using var live = await api.Http.GetAsync("/healthz");
        using var ready = await api.Http.GetAsync("/readyz");

        Assert.Equal(HttpStatusCode.OK, live.StatusCode);
        Assert.Equal(HttpStatusCode.OK, ready.StatusCode);
    }
}
