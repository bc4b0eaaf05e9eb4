using System.Net;
using Platform.Tracking.Tests.Infrastructure;

namespace Platform.Tracking.Tests.Registry;

[Collection(RegistryServersCollection.Name)]
public sealed class RegistrySearchTests
{
    private readonly RegistryServersFixture _servers;

    public RegistrySearchTests(RegistryServersFixture servers)
    {
        _servers = servers;
    }

    [Theory]
    [MemberData(nameof(Backends.All), MemberType = typeof(Backends))]
    public async Task SearchModels_FiltersByNameAndTags(string backend)
    {
        var api = _servers.Api(backend);
        var prefix = "srch" + Guid.NewGuid().ToString("N")[..8];
        foreach (var (suffix, team) in new[] { ("Alpha", "ads"), ("beta", "ads"), ("gamma", "search") })
        {
            (await api.PostAsync("registered-models/create",
                $$"""{"name": "{{prefix}}-{{suffix}}", "tags": [{"key": "team", "value": "{{team}}"}]}""")).EnsureOk();
        }

        Assert.Equal([$"{prefix}-beta"], await SearchModelNamesAsync(api, $"name = '{prefix}-beta'"));
        Assert.Equal([$"{prefix}-Alpha", $"{prefix}-beta", $"{prefix}-gamma"], await SearchModelNamesAsync(api, $"name LIKE '{prefix}-%'"));
        Assert.Empty(await SearchModelNamesAsync(api, $"name LIKE '{prefix}-alpha'"));
        Assert.Equal([$"{prefix}-Alpha"], await SearchModelNamesAsync(api, $"name ILIKE '{prefix}-alpha'"));
        Assert.Equal([$"{prefix}-Alpha", $"{prefix}-beta"], await SearchModelNamesAsync(api, $"name LIKE '{prefix}%' AND tags.team = 'ads'"));
        Assert.Equal([$"{prefix}-gamma"], await SearchModelNamesAsync(api, $"name LIKE '{prefix}%' AND tags.`team` != 'ads'"));
    }

    [Theory]
    [MemberData(nameof(Backends.All), MemberType = typeof(Backends))]
    public async Task SearchModels_PromptFilterKeepsUntaggedModels(string backend)
    {
        var api = _servers.Api(backend);
        var prefix = "prm" + Guid.NewGuid().ToString("N")[..8];
        (await api.PostAsync("registered-models/create", $$"""{"name": "{{prefix}}-model"}""")).EnsureOk();
        (await api.PostAsync("registered-models/create",
            $$"""{"name": "{{prefix}}-prompt", "tags": [{"key": "mlflow.prompt.is_prompt", "value": "true"}]}""")).EnsureOk();

        var names = await SearchModelNamesAsync(api, $"name LIKE '{prefix}%' AND tags.`mlflow.prompt.is_prompt` != 'true'");
        var prompts = await SearchModelNamesAsync(api, $"name LIKE '{prefix}%' AND tags.`mlflow.prompt.is_prompt` = 'true'");

        Assert.Equal([$"{prefix}-model"], names);
        Assert.Equal([$"{prefix}-prompt"], prompts);
    }

    [Theory]
    [MemberData(nameof(Backends.All), MemberType = typeof(Backends))]
    public async Task SearchModels_OrderAndPagesCoverAll(string backend)
    {
        var api = _servers.Api(backend);
        var prefix = "page" + Guid.NewGuid().ToString("N")[..8];
        var expected = new List<string>();
        for (var i = 0; i < 5; i++)
        {
            var name = $"{prefix}-{i}";
            (await api.PostAsync("registered-models/create", $$"""{"name": "{{name}}"}""")).EnsureOk();
            expected.Add(name);
        }

        expected.Reverse();
        var filter = Uri.EscapeDataString($"name LIKE '{prefix}%'");
        var seen = new List<string>();
        string? token = null;
        var pages = 0;
        do
        {
            var query = $"/api/2.0/mlflow/registered-models/search?filter={filter}&max_results=2&order_by=name+DESC" +
                (token is null ? string.Empty : "&page_token=" + Uri.EscapeDataString(token));
            var page = (await api.GetAsync(query)).EnsureOk();
            seen.AddRange(page.Json.GetProperty("registered_models").EnumerateArray().Select(model => model.GetProperty("name").GetString()!));
            token = page.Json.TryGetProperty("next_page_token", out var next) ? next.GetString() : null;
            pages++;
        }
        while (token is not null);

        Assert.Equal(expected, seen);
        Assert.Equal(3, pages);
        var byTime = (await api.GetAsync($"/api/2.0/mlflow/registered-models/search?filter={filter}&order_by=last_updated_timestamp+ASC")).EnsureOk();
        Assert.Equal(5, byTime.Json.GetProperty("registered_models").GetArrayLength());
    }

    [Theory]
    [MemberData(nameof(Backends.All), MemberType = typeof(Backends))]
    public async Task SearchModels_BadInput_IsInvalid(string backend)
    {
        var api = _servers.Api(backend);

        var cases = new[]
        {
            "/api/2.0/mlflow/registered-models/search?filter=" + Uri.EscapeDataString("run_id = 'x'"),
            "/api/2.0/mlflow/registered-models/search?filter=" + Uri.EscapeDataString("name > 'x'"),
            "/api/2.0/mlflow/registered-models/search?order_by=version_number",
            "/api/2.0/mlflow/registered-models/search?max_results=1001",
            "/api/2.0/mlflow/registered-models/search?page_token=not-a-token",
        };
        foreach (var query in cases)
        {
            (await api.GetAsync(query)).AssertError(HttpStatusCode.BadRequest, "INVALID_PARAMETER_VALUE");
        }
    }

    [Theory]
    [MemberData(nameof(Backends.All), MemberType = typeof(Backends))]
    public async Task SearchVersions_FiltersAsMlflowClientSends(string backend)
    {
        var api = _servers.Api(backend);
        var firstRun = await api.CreateRunAsync();
        var secondRun = await api.CreateRunAsync();
        var name = await api.CreateModelAsync("versions");
        await api.CreateVersionAsync(name, firstRun, "model");
        await api.CreateVersionAsync(name, secondRun, "other");
        (await api.PostAsync("model-versions/set-tag", $$"""{"name": "{{name}}", "version": "2", "key": "approved", "value": "yes"}""")).EnsureOk();

        Assert.Equal(["2", "1"], await SearchVersionNumbersAsync(api, $"name='{name}'"));
        Assert.Equal(["1"], await SearchVersionNumbersAsync(api, $"name='{name}' AND run_id='{firstRun}'"));
        Assert.Equal(["2", "1"], await SearchVersionNumbersAsync(api, $"run_id IN ('{firstRun}', '{secondRun}')"));
        Assert.Equal(["2"], await SearchVersionNumbersAsync(api, $"name='{name}' AND source_path LIKE '%/other'"));
        Assert.Equal(["2"], await SearchVersionNumbersAsync(api, $"name='{name}' AND version_number > 1"));
        Assert.Equal(["2"], await SearchVersionNumbersAsync(api, $"name='{name}' AND tags.approved = 'yes'"));
        Assert.Equal(["1", "2"], await SearchVersionNumbersAsync(api, $"name='{name}'", "&order_by=version_number+ASC"));
    }

    [Theory]
    [MemberData(nameof(Backends.All), MemberType = typeof(Backends))]
    public async Task SearchVersions_PagesAndBadInput(string backend)
    {
        var api = _servers.Api(backend);
        var runId = await api.CreateRunAsync();
        var name = await api.CreateModelAsync("vpages");
        for (var i = 0; i < 3; i++)
        {
            await api.CreateVersionAsync(name, runId);
        }

        var filter = Uri.EscapeDataString($"name='{name}'");
        var first = (await api.GetAsync($"/api/2.0/mlflow/model-versions/search?filter={filter}&max_results=2&order_by=version_number+DESC")).EnsureOk();
        var token = first.Json.GetProperty("next_page_token").GetString()!;
        var second = (await api.GetAsync(
            $"/api/2.0/mlflow/model-versions/search?filter={filter}&max_results=2&order_by=version_number+DESC&page_token={Uri.EscapeDataString(token)}")).EnsureOk();

        Assert.Equal(["3", "2"], first.Json.GetProperty("model_versions").EnumerateArray().Select(v => v.GetProperty("version").GetString()));
        Assert.Equal(["1"], second.Json.GetProperty("model_versions").EnumerateArray().Select(v => v.GetProperty("version").GetString()));
        Assert.False(second.Json.TryGetProperty("next_page_token", out _));
        (await api.GetAsync("/api/2.0/mlflow/model-versions/search?filter=" + Uri.EscapeDataString("metrics.auc > 0.5")))
            .AssertError(HttpStatusCode.BadRequest, "INVALID_PARAMETER_VALUE");
        (await api.GetAsync("/api/2.0/mlflow/model-versions/search?filter=" + Uri.EscapeDataString("version_number = 'one'")))
            .AssertError(HttpStatusCode.BadRequest, "INVALID_PARAMETER_VALUE");
        (await api.GetAsync("/api/2.0/mlflow/model-versions/search?max_results=200001"))
            .AssertError(HttpStatusCode.BadRequest, "INVALID_PARAMETER_VALUE");
    }

    private static async Task<List<string>> SearchModelNamesAsync(TrackingApi api, string filter)
    {
        var response = (await api.GetAsync($"/api/2.0/mlflow/registered-models/search?filter={Uri.EscapeDataString(filter)}&max_results=100")).EnsureOk();
        return response.Json.GetProperty("registered_models").EnumerateArray().Select(model => model.GetProperty("name").GetString()!).ToList();
    }

    private static async Task<List<string>> SearchVersionNumbersAsync(TrackingApi api, string filter, string extra = "")
    {
        var response = (await api.GetAsync($"/api/2.0/mlflow/model-versions/search?filter={Uri.EscapeDataString(filter)}{extra}")).EnsureOk();
        return response.Json.GetProperty("model_versions").EnumerateArray().Select(version => version.GetProperty("version").GetString()!).ToList();
    }
}
