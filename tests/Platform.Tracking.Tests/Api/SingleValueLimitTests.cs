using System.Net;
using Platform.Tracking.Tests.Infrastructure;

namespace Platform.Tracking.Tests.Api;

/// <summary>Length and name limits of the single-value endpoints; log-batch limits are in <see cref="LogBatchTests"/>.</summary>
[Collection(TrackingServersCollection.Name)]
public sealed class SingleValueLimitTests
{
    private readonly TrackingServersFixture _servers;

    public SingleValueLimitTests(TrackingServersFixture servers)
    {
        _servers = servers;
    }

    public static TheoryData<string, string, string, string> Cases()
    {
        var data = new TheoryData<string, string, string, string>();
        var longKey = new string('k', 251);
        foreach (var backend in new[] { Backends.Sqlite, Backends.Postgres })
        {
            data.Add(backend, "runs/log-metric", "key of 251 characters", $$"""{"key": "{{longKey}}", "value": 1, "timestamp": 1}""");
            data.Add(backend, "runs/log-metric", "key with a forbidden character", """{"key": "a|b", "value": 1, "timestamp": 1}""");
            data.Add(backend, "runs/log-metric", "key starting with a slash", """{"key": "/abs", "value": 1, "timestamp": 1}""");
            data.Add(backend, "runs/log-metric", "value that is an object", """{"key": "m", "value": {}, "timestamp": 1}""");
            data.Add(backend, "runs/log-parameter", "param value of 6001 characters", $$"""{"key": "p", "value": "{{new string('v', 6001)}}"}""");
            data.Add(backend, "runs/log-parameter", "param key of 251 characters", $$"""{"key": "{{longKey}}", "value": "v"}""");
            data.Add(backend, "runs/log-parameter", "param without key", """{"value": "v"}""");
            data.Add(backend, "runs/set-tag", "tag value of 8001 characters", $$"""{"key": "t", "value": "{{new string('v', 8001)}}"}""");
            data.Add(backend, "runs/set-tag", "tag key of 251 characters", $$"""{"key": "{{longKey}}", "value": "v"}""");
            data.Add(backend, "runs/set-tag", "tag without value", """{"key": "t"}""");
            data.Add(backend, "runs/log-inputs", "input tag value of 501 characters",
                $$$"""{"datasets": [{"tags": [{"key": "k", "value": "{{{new string('v', 501)}}}"}], "dataset": {"name": "d", "digest": "x", "source_type": "local", "source": "s"}}]}""");
            data.Add(backend, "runs/log-inputs", "dataset name of 501 characters",
                $$$"""{"datasets": [{"dataset": {"name": "{{{new string('n', 501)}}}", "digest": "x", "source_type": "local", "source": "s"}}]}""");
            data.Add(backend, "runs/log-inputs", "dataset without source",
                """{"datasets": [{"dataset": {"name": "d", "digest": "x", "source_type": "local"}}]}""");
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public async Task RunWrite_RejectsInvalidInput(string backend, string route, string description, string fields)
    {
        var api = _servers.Api(backend);
        var runId = await api.CreateRunAsync(await api.CreateExperimentAsync());

        var response = await api.PostAsync(route, $$"""{"run_id": "{{runId}}", {{fields.TrimStart('{')}}""");

        Assert.True(response.Status == HttpStatusCode.BadRequest, $"{description}: {response.Body}");
        Assert.Equal("INVALID_PARAMETER_VALUE", response.ErrorCode);
    }

    [Theory]
    [MemberData(nameof(Backends.All), MemberType = typeof(Backends))]
    public async Task ExperimentTagKeyTooLong_IsInvalid(string backend)
    {
        var api = _servers.Api(backend);
        var experimentId = await api.CreateExperimentAsync();

        var response = await api.PostAsync("experiments/set-experiment-tag",
            $$"""{"experiment_id": "{{experimentId}}", "key": "{{new string('k', 251)}}", "value": "v"}""");

        response.AssertError(HttpStatusCode.BadRequest, "INVALID_PARAMETER_VALUE");
    }

    [Theory]
    [MemberData(nameof(Backends.All), MemberType = typeof(Backends))]
    public async Task KeysAtTheLimit_AreAccepted(string backend)
    {
        var api = _servers.Api(backend);
        var runId = await api.CreateRunAsync(await api.CreateExperimentAsync());
        var key = "dir/sub-dir/name.with:colon " + new string('k', 222);

        var metric = await api.PostAsync("runs/log-metric", $$"""{"run_id": "{{runId}}", "key": "{{key}}", "value": 1, "timestamp": 1}""");
        var param = await api.PostAsync("runs/log-parameter", $$"""{"run_id": "{{runId}}", "key": "{{key}}", "value": "{{new string('v', 6000)}}"}""");
        var tag = await api.PostAsync("runs/set-tag", $$"""{"run_id": "{{runId}}", "key": "{{key}}", "value": "{{new string('v', 8000)}}"}""");

        Assert.Equal(250, key.Length);
        metric.EnsureOk();
        param.EnsureOk();
        tag.EnsureOk();
    }
}
