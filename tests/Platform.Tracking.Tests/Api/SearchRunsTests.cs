using System.Net;
using System.Text.Json;
using Platform.Tracking.Tests.Infrastructure;

namespace Platform.Tracking.Tests.Api;

/// <summary>
/// runs/search against both backends. Each test builds its own experiment with three runs.
/// r1 has loss 0.9, lr "0.1", tag team "Ranking" and start time 1000.
/// r2 has loss 0.5, lr "0.01", tag team "search", start time 2000 and dataset "frappe" in context "training".
/// r3 has no metric, lr "0.001", no team tag and start time 3000.
/// </summary>
[Collection(TrackingServersCollection.Name)]
public sealed class SearchRunsTests
{
    private readonly TrackingServersFixture _servers;

    public SearchRunsTests(TrackingServersFixture servers)
    {
        _servers = servers;
    }

    public static TheoryData<string, string, string[]> FilterCases()
    {
        var data = new TheoryData<string, string, string[]>();
        foreach (var backend in new[] { Backends.Sqlite, Backends.Postgres })
        {
            data.Add(backend, "metrics.loss < 0.7", ["r2"]);
            data.Add(backend, "metrics.loss <= 0.5", ["r2"]);
            data.Add(backend, "metrics.loss > 0.5", ["r1"]);
            data.Add(backend, "metrics.loss >= 0.5", ["r1", "r2"]);
            data.Add(backend, "metrics.loss = 0.9", ["r1"]);
            data.Add(backend, "metrics.loss != 0.9", ["r2"]);
            data.Add(backend, "metric.`loss` > 0", ["r1", "r2"]);
            data.Add(backend, "params.lr = '0.01'", ["r2"]);
            data.Add(backend, "params.lr != '0.01'", ["r1", "r3"]);
            data.Add(backend, "param.\"lr\" LIKE '0.0%'", ["r2", "r3"]);
            data.Add(backend, "tags.team = 'search'", ["r2"]);
            data.Add(backend, "tags.team LIKE 'rank%'", []);
            data.Add(backend, "tags.team ILIKE 'rank%'", ["r1"]);
            data.Add(backend, "tags.`team` != 'search'", ["r1"]);
            data.Add(backend, "tags.\"mlflow.runName\" = 'r3'", ["r3"]);
            data.Add(backend, "attributes.run_name = 'r1'", ["r1"]);
            data.Add(backend, "run_name ILIKE 'R%'", ["r1", "r2", "r3"]);
            data.Add(backend, "attributes.`run name` LIKE '%2'", ["r2"]);
            data.Add(backend, "attributes.start_time >= 2000", ["r2", "r3"]);
            data.Add(backend, "attr.created < 2000", ["r1"]);
            data.Add(backend, "attributes.status = 'RUNNING'", ["r1", "r2", "r3"]);
            data.Add(backend, "attributes.user_id = 'alice'", ["r1", "r2", "r3"]);
            data.Add(backend, "`attributes`.status != 'RUNNING'", []);
            data.Add(backend, "datasets.name = 'frappe'", ["r2"]);
            data.Add(backend, "dataset.context = 'training'", ["r2"]);
            data.Add(backend, "datasets.digest IN ('d1', 'other')", ["r2"]);
            data.Add(backend, "metrics.loss > 0 AND params.lr = '0.1' and tags.team = 'Ranking'", ["r1"]);
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(FilterCases))]
    public async Task Filter_SelectsExpectedRuns(string backend, string filter, string[] expected)
    {
        var api = _servers.Api(backend);
        var (experimentId, _) = await SeedAsync(api);

        var names = await SearchNamesAsync(api, experimentId, filter);

        Assert.Equal(expected.Order().ToList(), names.Order().ToList());
    }

    [Theory]
    [MemberData(nameof(Backends.All), MemberType = typeof(Backends))]
    public async Task Filter_RunIdIn_SelectsListedRuns(string backend)
    {
        var api = _servers.Api(backend);
        var (experimentId, ids) = await SeedAsync(api);

        var selected = await SearchNamesAsync(api, experimentId, $"attributes.run_id IN ('{ids["r1"]}', '{ids["r3"]}')");
        var excluded = await SearchNamesAsync(api, experimentId, $"attributes.run_id NOT IN ('{ids["r1"]}')");

        Assert.Equal(["r1", "r3"], selected.Order().ToList());
        Assert.Equal(["r2", "r3"], excluded.Order().ToList());
    }

    [Theory]
    [MemberData(nameof(Backends.All), MemberType = typeof(Backends))]
    public async Task Filter_InjectionTextStaysAValue(string backend)
    {
        var api = _servers.Api(backend);
        var (experimentId, _) = await SeedAsync(api);

        var injected = await SearchNamesAsync(api, experimentId, "params.lr = '0.1''; DROP TABLE runs; --'");
        var afterwards = await SearchNamesAsync(api, experimentId, string.Empty);

        Assert.Empty(injected);
        Assert.Equal(3, afterwards.Count);
    }

    [Theory]
    [MemberData(nameof(Backends.All), MemberType = typeof(Backends))]
    public async Task DefaultOrder_IsStartTimeDescending(string backend)
    {
        var api = _servers.Api(backend);
        var (experimentId, _) = await SeedAsync(api);

        var names = await SearchNamesAsync(api, experimentId, string.Empty);

        Assert.Equal(["r3", "r2", "r1"], names);
    }

    [Theory]
    [MemberData(nameof(Backends.All), MemberType = typeof(Backends))]
    public async Task OrderByMetric_PutsMissingValuesLast(string backend)
    {
        var api = _servers.Api(backend);
        var (experimentId, _) = await SeedAsync(api);

        var ascending = await SearchNamesAsync(api, experimentId, string.Empty, "\"metrics.loss ASC\"");
        var descending = await SearchNamesAsync(api, experimentId, string.Empty, "\"metrics.loss DESC\"");

        Assert.Equal(["r2", "r1", "r3"], ascending);
        Assert.Equal(["r1", "r2", "r3"], descending);
    }

    [Theory]
    [MemberData(nameof(Backends.All), MemberType = typeof(Backends))]
    public async Task OrderByMetric_PutsNanBetweenNumbersAndMissing(string backend)
    {
        var api = _servers.Api(backend);
        var (experimentId, _) = await SeedAsync(api);
        var nanRun = await api.CreateRunAsync(experimentId, 4000, "r4");
        (await api.PostAsync("runs/log-metric", $$"""{"run_id": "{{nanRun}}", "key": "loss", "value": "NaN", "timestamp": 1, "step": 0}""")).EnsureOk();

        var ascending = await SearchNamesAsync(api, experimentId, string.Empty, "\"metrics.loss ASC\"");
        var descending = await SearchNamesAsync(api, experimentId, string.Empty, "\"metrics.loss DESC\"");

        Assert.Equal(["r2", "r1", "r4", "r3"], ascending);
        Assert.Equal(["r1", "r2", "r4", "r3"], descending);
    }

    [Theory]
    [MemberData(nameof(Backends.All), MemberType = typeof(Backends))]
    public async Task OrderByParamTagAndAttribute_Work(string backend)
    {
        var api = _servers.Api(backend);
        var (experimentId, _) = await SeedAsync(api);

        var byParam = await SearchNamesAsync(api, experimentId, string.Empty, "\"params.lr DESC\"");
        var byTag = await SearchNamesAsync(api, experimentId, string.Empty, "\"tags.team\"");
        var byName = await SearchNamesAsync(api, experimentId, string.Empty, "\"attributes.run_name ASC\"");
        var byStart = await SearchNamesAsync(api, experimentId, string.Empty, "\"attributes.start_time ASC\"");

        Assert.Equal(["r1", "r2", "r3"], byParam);
        Assert.Equal(["r1", "r2", "r3"], byTag);
        Assert.Equal(["r1", "r2", "r3"], byName);
        Assert.Equal(["r1", "r2", "r3"], byStart);
    }

    [Theory]
    [MemberData(nameof(Backends.All), MemberType = typeof(Backends))]
    public async Task PageTokens_WalkAllRunsOnce(string backend)
    {
        var api = _servers.Api(backend);
        var experimentId = await api.CreateExperimentAsync("paging");
        var expected = new List<string>();
        for (var i = 0; i < 7; i++)
        {
            // Equal start times force the run_id tie-breaker into the keyset.
            var runId = await api.CreateRunAsync(experimentId, startTime: 1000 + (i % 2));
            await api.PostAsync("runs/log-metric", $$"""{"run_id": "{{runId}}", "key": "m", "value": {{i % 3}}, "timestamp": 1, "step": 0}""");
            expected.Add(runId);
        }

        foreach (var orderBy in new[] { string.Empty, "\"metrics.m DESC\"" })
        {
            var seen = new List<string>();
            string? token = null;
            do
            {
                var tokenField = token is null ? string.Empty : $", \"page_token\": \"{token}\"";
                var page = (await api.PostAsync("runs/search",
                    $$"""{"experiment_ids": ["{{experimentId}}"], "max_results": 3, "order_by": [{{orderBy}}]{{tokenField}}}""")).EnsureOk();
                seen.AddRange(page.Json.GetProperty("runs").EnumerateArray().Select(run => run.GetProperty("info").GetProperty("run_id").GetString()!));
                token = page.Json.TryGetProperty("next_page_token", out var next) ? next.GetString() : null;
            }
            while (token is not null);

            Assert.Equal(expected.Order().ToList(), seen.Order().ToList());
            Assert.Equal(7, seen.Distinct().Count());
        }
    }

    [Theory]
    [MemberData(nameof(Backends.All), MemberType = typeof(Backends))]
    public async Task PageToken_FromOtherOrder_IsInvalid(string backend)
    {
        var api = _servers.Api(backend);
        var (experimentId, _) = await SeedAsync(api);
        var first = (await api.PostAsync("runs/search", $$"""{"experiment_ids": ["{{experimentId}}"], "max_results": 1}""")).EnsureOk();
        var token = first.Json.GetProperty("next_page_token").GetString();

        var reused = await api.PostAsync("runs/search",
            $$"""{"experiment_ids": ["{{experimentId}}"], "max_results": 1, "order_by": ["metrics.loss"], "page_token": "{{token}}"}""");
        var garbage = await api.PostAsync("runs/search", $$"""{"experiment_ids": ["{{experimentId}}"], "page_token": "not-a-token"}""");

        reused.AssertError(HttpStatusCode.BadRequest, "INVALID_PARAMETER_VALUE");
        garbage.AssertError(HttpStatusCode.BadRequest, "INVALID_PARAMETER_VALUE");
    }

    [Theory]
    [MemberData(nameof(Backends.All), MemberType = typeof(Backends))]
    public async Task ViewType_SelectsDeletedRuns(string backend)
    {
        var api = _servers.Api(backend);
        var (experimentId, ids) = await SeedAsync(api);
        (await api.PostAsync("runs/delete", $$"""{"run_id": "{{ids["r1"]}}"}""")).EnsureOk();

        var active = await SearchNamesAsync(api, experimentId, string.Empty, viewType: "ACTIVE_ONLY");
        var deleted = await SearchNamesAsync(api, experimentId, string.Empty, viewType: "DELETED_ONLY");
        var all = await SearchNamesAsync(api, experimentId, string.Empty, viewType: "ALL");

        Assert.Equal(["r2", "r3"], active.Order().ToList());
        Assert.Equal(["r1"], deleted);
        Assert.Equal(3, all.Count);
    }

    [Theory]
    [MemberData(nameof(Backends.All), MemberType = typeof(Backends))]
    public async Task Search_ReturnsLatestMetricsParamsAndTags(string backend)
    {
        var api = _servers.Api(backend);
        var (experimentId, _) = await SeedAsync(api);

        var response = (await api.PostAsync("runs/search",
            $$"""{"experiment_ids": ["{{experimentId}}"], "filter": "attributes.run_name = 'r2'", "run_view_type": "ACTIVE_ONLY", "max_results": 1000, "order_by": []}""")).EnsureOk();

        var run = Assert.Single(response.Json.GetProperty("runs").EnumerateArray());
        var metric = Assert.Single(run.GetProperty("data").GetProperty("metrics").EnumerateArray());
        Assert.Equal(0.5, metric.GetProperty("value").GetDouble());
        Assert.Equal("0.01", Assert.Single(run.GetProperty("data").GetProperty("params").EnumerateArray()).GetProperty("value").GetString());
        Assert.Equal("search", RunApiTests.Tags(run)["team"]);
        Assert.Single(run.GetProperty("inputs").GetProperty("dataset_inputs").EnumerateArray());
        Assert.False(response.Json.TryGetProperty("next_page_token", out _));
    }

    public static TheoryData<string, string> InvalidFilters()
    {
        var data = new TheoryData<string, string>();
        foreach (var backend in new[] { Backends.Sqlite, Backends.Postgres })
        {
            data.Add(backend, "metrics.loss < 0.5 OR metrics.loss > 0.9");
            data.Add(backend, "(metrics.loss < 0.5)");
            data.Add(backend, "metrics.loss LIKE '0.5'");
            data.Add(backend, "metrics.loss < 'abc'");
            data.Add(backend, "params.lr > 0.1");
            data.Add(backend, "params.lr = 0.1");
            data.Add(backend, "tags.team IN ('a')");
            data.Add(backend, "attributes.nope = 'x'");
            data.Add(backend, "attributes.start_time = 'yesterday'");
            data.Add(backend, "attributes.run_id IN 'abc'");
            data.Add(backend, "datasets.size = 'x'");
            data.Add(backend, "unknown.key = 'x'");
            data.Add(backend, "params.lr = '0.1");
            data.Add(backend, "params.lr ~ '0.1'");
            data.Add(backend, "params.lr =");
            data.Add(backend, "params.lr = '1' AND");
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(InvalidFilters))]
    public async Task MalformedFilter_IsInvalidParameterValue(string backend, string filter)
    {
        var api = _servers.Api(backend);

        var response = await api.PostAsync("runs/search", JsonSerializer.Serialize(new Dictionary<string, object>
        {
            ["experiment_ids"] = new[] { "0" },
            ["filter"] = filter,
        }));

        response.AssertError(HttpStatusCode.BadRequest, "INVALID_PARAMETER_VALUE");
    }

    [Theory]
    [MemberData(nameof(Backends.All), MemberType = typeof(Backends))]
    public async Task ExperimentIdsAsNumbers_AreAccepted(string backend)
    {
        var api = _servers.Api(backend);
        var (experimentId, _) = await SeedAsync(api);

        var response = (await api.PostAsync("runs/search", $$"""{"experiment_ids": [{{experimentId}}], "max_results": "2"}""")).EnsureOk();

        Assert.Equal(2, response.Json.GetProperty("runs").GetArrayLength());
        Assert.True(response.Json.TryGetProperty("next_page_token", out _));
    }

    [Theory]
    [MemberData(nameof(Backends.All), MemberType = typeof(Backends))]
    public async Task MaxResults_OutOfRange_IsInvalid(string backend)
    {
        var api = _servers.Api(backend);

        var tooMany = await api.PostAsync("runs/search", """{"experiment_ids": ["0"], "max_results": 50001}""");
        var zero = await api.PostAsync("runs/search", """{"experiment_ids": ["0"], "max_results": 0}""");

        tooMany.AssertError(HttpStatusCode.BadRequest, "INVALID_PARAMETER_VALUE");
        zero.AssertError(HttpStatusCode.BadRequest, "INVALID_PARAMETER_VALUE");
    }

    [Theory]
    [MemberData(nameof(Backends.All), MemberType = typeof(Backends))]
    public async Task OrderBy_Malformed_IsInvalid(string backend)
    {
        var response = await _servers.Api(backend).PostAsync("runs/search", """{"experiment_ids": ["0"], "order_by": ["metrics.loss SIDEWAYS"]}""");

        response.AssertError(HttpStatusCode.BadRequest, "INVALID_PARAMETER_VALUE");
    }

    private static async Task<List<string>> SearchNamesAsync(TrackingApi api, string experimentId, string filter, string orderBy = "", string viewType = "ACTIVE_ONLY")
    {
        var response = (await api.PostAsync("runs/search", JsonSerializer.Serialize(new Dictionary<string, object>
        {
            ["experiment_ids"] = new[] { experimentId },
            ["filter"] = filter,
            ["run_view_type"] = viewType,
            ["max_results"] = 1000,
            ["order_by"] = orderBy.Length == 0 ? Array.Empty<string>() : new[] { orderBy.Trim('"') },
        }))).EnsureOk();
        return response.Json.GetProperty("runs").EnumerateArray()
            .Select(run => run.GetProperty("info").GetProperty("run_name").GetString()!)
            .ToList();
    }

    private static async Task<(string ExperimentId, Dictionary<string, string> RunIds)> SeedAsync(TrackingApi api)
    {
        var experimentId = await api.CreateExperimentAsync("search");
        var ids = new Dictionary<string, string>
        {
            ["r1"] = await api.CreateRunAsync(experimentId, 1000, "r1"),
            ["r2"] = await api.CreateRunAsync(experimentId, 2000, "r2"),
            ["r3"] = await api.CreateRunAsync(experimentId, 3000, "r3"),
        };
        (await api.PostAsync("runs/log-batch", $$"""
            {"run_id": "{{ids["r1"]}}", "metrics": [{"key": "loss", "value": 0.9, "timestamp": 1, "step": 0}],
             "params": [{"key": "lr", "value": "0.1"}], "tags": [{"key": "team", "value": "Ranking"}]}
            """)).EnsureOk();
        (await api.PostAsync("runs/log-batch", $$"""
            {"run_id": "{{ids["r2"]}}", "metrics": [{"key": "loss", "value": 0.5, "timestamp": 1, "step": 0}],
             "params": [{"key": "lr", "value": "0.01"}], "tags": [{"key": "team", "value": "search"}]}
            """)).EnsureOk();
        (await api.PostAsync("runs/log-batch", $$"""{"run_id": "{{ids["r3"]}}", "params": [{"key": "lr", "value": "0.001"}]}""")).EnsureOk();
        (await api.PostAsync("runs/log-inputs", $$$"""
            {"run_id": "{{{ids["r2"]}}}", "datasets": [{"tags": [{"key": "mlflow.data.context", "value": "training"}],
              "dataset": {"name": "frappe", "digest": "d1", "source_type": "local", "source": "/data"}}]}
            """)).EnsureOk();
        return (experimentId, ids);
    }
}
