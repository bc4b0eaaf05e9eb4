using System.Net;
using Platform.Tracking.Tests.Infrastructure;

namespace Platform.Tracking.Tests.Api;

[Collection(TrackingServersCollection.Name)]
public sealed class ExperimentApiTests
{
    private readonly TrackingServersFixture _servers;

    public ExperimentApiTests(TrackingServersFixture servers)
    {
        _servers = servers;
    }

    [Theory]
    [MemberData(nameof(Backends.All), MemberType = typeof(Backends))]
    public async Task DefaultExperiment_Exists(string backend)
    {
        var response = (await _servers.Api(backend).GetAsync("/api/2.0/mlflow/experiments/get?experiment_id=0")).EnsureOk();

        var experiment = response.Json.GetProperty("experiment");
        Assert.Equal("0", experiment.GetProperty("experiment_id").GetString());
        Assert.Equal("Default", experiment.GetProperty("name").GetString());
        Assert.Equal("mlflow-artifacts:/0", experiment.GetProperty("artifact_location").GetString());
        Assert.Equal("active", experiment.GetProperty("lifecycle_stage").GetString());
    }

    [Theory]
    [MemberData(nameof(Backends.All), MemberType = typeof(Backends))]
    public async Task Create_ThenGetByName_ReturnsAllFields(string backend)
    {
        var api = _servers.Api(backend);
        var name = "create-" + Guid.NewGuid().ToString("N");

        var created = (await api.PostAsync("experiments/create",
            $$"""{"name": "{{name}}", "tags": [{"key": "team", "value": "ranking"}]}""")).EnsureOk();
        var id = created.Json.GetProperty("experiment_id").GetString()!;
        var fetched = (await api.GetAsync($"/api/2.0/mlflow/experiments/get-by-name?experiment_name={name}")).EnsureOk();

        var experiment = fetched.Json.GetProperty("experiment");
        Assert.Equal(id, experiment.GetProperty("experiment_id").GetString());
        Assert.Equal(name, experiment.GetProperty("name").GetString());
        Assert.Equal($"mlflow-artifacts:/{id}", experiment.GetProperty("artifact_location").GetString());
        Assert.Equal("active", experiment.GetProperty("lifecycle_stage").GetString());
        Assert.True(experiment.GetProperty("creation_time").GetInt64() > 0);
        Assert.True(experiment.GetProperty("last_update_time").GetInt64() > 0);
        var tag = Assert.Single(experiment.GetProperty("tags").EnumerateArray());
        Assert.Equal("team", tag.GetProperty("key").GetString());
        Assert.Equal("ranking", tag.GetProperty("value").GetString());
    }

    [Theory]
    [MemberData(nameof(Backends.All), MemberType = typeof(Backends))]
    public async Task Create_DuplicateName_IsAlreadyExists(string backend)
    {
        var api = _servers.Api(backend);
        var name = "dup-" + Guid.NewGuid().ToString("N");
        (await api.PostAsync("experiments/create", $$"""{"name": "{{name}}"}""")).EnsureOk();

        var second = await api.PostAsync("experiments/create", $$"""{"name": "{{name}}"}""");

        second.AssertError(HttpStatusCode.BadRequest, "RESOURCE_ALREADY_EXISTS");
    }

    [Theory]
    [MemberData(nameof(Backends.All), MemberType = typeof(Backends))]
    public async Task Create_KeepsGivenArtifactLocation(string backend)
    {
        var api = _servers.Api(backend);
        var name = "loc-" + Guid.NewGuid().ToString("N");

        var id = (await api.PostAsync("experiments/create", $$"""{"name": "{{name}}", "artifact_location": "gs://bucket/alice"}""")).EnsureOk()
            .Json.GetProperty("experiment_id").GetString();
        var experiment = (await api.GetAsync($"/api/2.0/mlflow/experiments/get?experiment_id={id}")).EnsureOk().Json.GetProperty("experiment");

        Assert.Equal("gs://bucket/alice", experiment.GetProperty("artifact_location").GetString());
    }

    [Theory]
    [MemberData(nameof(Backends.All), MemberType = typeof(Backends))]
    public async Task GetByName_Unknown_IsResourceDoesNotExist(string backend)
    {
        var response = await _servers.Api(backend).GetAsync("/api/2.0/mlflow/experiments/get-by-name?experiment_name=no-such-" + Guid.NewGuid().ToString("N"));

        response.AssertError(HttpStatusCode.NotFound, "RESOURCE_DOES_NOT_EXIST");
    }

    [Theory]
    [MemberData(nameof(Backends.All), MemberType = typeof(Backends))]
    public async Task Get_UnknownId_IsResourceDoesNotExist(string backend)
    {
        var response = await _servers.Api(backend).GetAsync("/api/2.0/mlflow/experiments/get?experiment_id=987654321");

        response.AssertError(HttpStatusCode.NotFound, "RESOURCE_DOES_NOT_EXIST");
    }

    [Theory]
    [MemberData(nameof(Backends.All), MemberType = typeof(Backends))]
    public async Task Update_RenamesExperiment(string backend)
    {
        var api = _servers.Api(backend);
        var id = await api.CreateExperimentAsync();
        var newName = "renamed-" + Guid.NewGuid().ToString("N");

        (await api.PostAsync("experiments/update", $$"""{"experiment_id": "{{id}}", "new_name": "{{newName}}"}""")).EnsureOk();
        var experiment = (await api.GetAsync($"/api/2.0/mlflow/experiments/get?experiment_id={id}")).EnsureOk().Json.GetProperty("experiment");

        Assert.Equal(newName, experiment.GetProperty("name").GetString());
    }

    [Theory]
    [MemberData(nameof(Backends.All), MemberType = typeof(Backends))]
    public async Task DeleteAndRestore_FollowLifecycleAndViewType(string backend)
    {
        var api = _servers.Api(backend);
        var prefix = "life-" + Guid.NewGuid().ToString("N")[..8];
        var id = await api.CreateExperimentAsync(prefix);
        var filter = $$"""{"filter": "name LIKE '{{prefix}}%'", "view_type": "{0}"}""";

        (await api.PostAsync("experiments/delete", $$"""{"experiment_id": "{{id}}"}""")).EnsureOk();
        var deleted = (await api.GetAsync($"/api/2.0/mlflow/experiments/get?experiment_id={id}")).EnsureOk();
        var activeOnly = (await api.PostAsync("experiments/search", filter.Replace("{0}", "ACTIVE_ONLY", StringComparison.Ordinal))).EnsureOk();
        var deletedOnly = (await api.PostAsync("experiments/search", filter.Replace("{0}", "DELETED_ONLY", StringComparison.Ordinal))).EnsureOk();
        var all = (await api.PostAsync("experiments/search", filter.Replace("{0}", "ALL", StringComparison.Ordinal))).EnsureOk();
        var runInDeleted = await api.PostAsync("runs/create", $$"""{"experiment_id": "{{id}}", "start_time": 1}""");
        (await api.PostAsync("experiments/restore", $$"""{"experiment_id": "{{id}}"}""")).EnsureOk();
        var restored = (await api.GetAsync($"/api/2.0/mlflow/experiments/get?experiment_id={id}")).EnsureOk();

        Assert.Equal("deleted", deleted.Json.GetProperty("experiment").GetProperty("lifecycle_stage").GetString());
        Assert.Empty(activeOnly.Json.GetProperty("experiments").EnumerateArray());
        Assert.Single(deletedOnly.Json.GetProperty("experiments").EnumerateArray());
        Assert.Single(all.Json.GetProperty("experiments").EnumerateArray());
        runInDeleted.AssertError(HttpStatusCode.BadRequest, "INVALID_PARAMETER_VALUE");
        Assert.Equal("active", restored.Json.GetProperty("experiment").GetProperty("lifecycle_stage").GetString());
    }

    [Theory]
    [MemberData(nameof(Backends.All), MemberType = typeof(Backends))]
    public async Task SetAndDeleteTag_ChangeTags(string backend)
    {
        var api = _servers.Api(backend);
        var id = await api.CreateExperimentAsync();

        (await api.PostAsync("experiments/set-experiment-tag", $$"""{"experiment_id": "{{id}}", "key": "note", "value": "v1"}""")).EnsureOk();
        (await api.PostAsync("experiments/set-experiment-tag", $$"""{"experiment_id": "{{id}}", "key": "note", "value": "v2"}""")).EnsureOk();
        var afterSet = (await api.GetAsync($"/api/2.0/mlflow/experiments/get?experiment_id={id}")).EnsureOk();
        (await api.PostAsync("experiments/delete-experiment-tag", $$"""{"experiment_id": "{{id}}", "key": "note"}""")).EnsureOk();
        var afterDelete = (await api.GetAsync($"/api/2.0/mlflow/experiments/get?experiment_id={id}")).EnsureOk();
        var deleteAgain = await api.PostAsync("experiments/delete-experiment-tag", $$"""{"experiment_id": "{{id}}", "key": "note"}""");

        var tag = Assert.Single(afterSet.Json.GetProperty("experiment").GetProperty("tags").EnumerateArray());
        Assert.Equal("v2", tag.GetProperty("value").GetString());
        Assert.Empty(afterDelete.Json.GetProperty("experiment").GetProperty("tags").EnumerateArray());
        deleteAgain.AssertError(HttpStatusCode.NotFound, "RESOURCE_DOES_NOT_EXIST");
    }

    [Theory]
    [MemberData(nameof(Backends.All), MemberType = typeof(Backends))]
    public async Task Search_FiltersByTagAndPagesByToken(string backend)
    {
        var api = _servers.Api(backend);
        var marker = Guid.NewGuid().ToString("N");
        var ids = new List<string>();
        for (var i = 0; i < 5; i++)
        {
            var id = await api.CreateExperimentAsync("page");
            (await api.PostAsync("experiments/set-experiment-tag", $$"""{"experiment_id": "{{id}}", "key": "batch", "value": "{{marker}}"}""")).EnsureOk();
            ids.Add(id);
        }

        var seen = new List<string>();
        string? token = null;
        var pages = 0;
        do
        {
            var tokenField = token is null ? string.Empty : $", \"page_token\": \"{token}\"";
            var page = (await api.PostAsync("experiments/search",
                $$"""{"max_results": 2, "filter": "tags.batch = '{{marker}}'", "order_by": ["name ASC"]{{tokenField}}}""")).EnsureOk();
            seen.AddRange(page.Json.GetProperty("experiments").EnumerateArray().Select(e => e.GetProperty("experiment_id").GetString()!));
            token = page.Json.TryGetProperty("next_page_token", out var next) ? next.GetString() : null;
            pages++;
        }
        while (token is not null);

        Assert.Equal(3, pages);
        Assert.Equal(ids.Order().ToList(), seen.Order().ToList());
    }

    [Theory]
    [MemberData(nameof(Backends.All), MemberType = typeof(Backends))]
    public async Task Search_ByGet_ReadsQueryParameters(string backend)
    {
        var api = _servers.Api(backend);
        var name = "get-search-" + Guid.NewGuid().ToString("N");
        (await api.PostAsync("experiments/create", $$"""{"name": "{{name}}"}""")).EnsureOk();

        var response = (await api.GetAsync($"/api/2.0/mlflow/experiments/search?max_results=10&filter={Uri.EscapeDataString($"name = '{name}'")}")).EnsureOk();

        var experiment = Assert.Single(response.Json.GetProperty("experiments").EnumerateArray());
        Assert.Equal(name, experiment.GetProperty("name").GetString());
    }

    [Theory]
    [MemberData(nameof(Backends.All), MemberType = typeof(Backends))]
    public async Task Create_EmptyName_IsInvalid(string backend)
    {
        var response = await _servers.Api(backend).PostAsync("experiments/create", """{"name": ""}""");

        response.AssertError(HttpStatusCode.BadRequest, "INVALID_PARAMETER_VALUE");
    }

    [Theory]
    [MemberData(nameof(Backends.All), MemberType = typeof(Backends))]
    public async Task Create_NameTooLong_IsInvalid(string backend)
    {
        var response = await _servers.Api(backend).PostAsync("experiments/create", $$"""{"name": "{{new string('n', 501)}}"}""");

        response.AssertError(HttpStatusCode.BadRequest, "INVALID_PARAMETER_VALUE");
        Assert.Contains("500", response.Message, StringComparison.Ordinal);
    }

    [Theory]
    [MemberData(nameof(Backends.All), MemberType = typeof(Backends))]
    public async Task SetTag_ValueTooLong_IsInvalid(string backend)
    {
        var api = _servers.Api(backend);
        var id = await api.CreateExperimentAsync();

        var response = await api.PostAsync("experiments/set-experiment-tag", $$"""{"experiment_id": "{{id}}", "key": "k", "value": "{{new string('v', 5001)}}"}""");

        response.AssertError(HttpStatusCode.BadRequest, "INVALID_PARAMETER_VALUE");
    }

    [Theory]
    [MemberData(nameof(Backends.All), MemberType = typeof(Backends))]
    public async Task AjaxApiAlias_ServesSameRoutes(string backend)
    {
        var response = (await _servers.Api(backend).GetAsync("/ajax-api/2.0/mlflow/experiments/get?experiment_id=0")).EnsureOk();

        Assert.Equal("Default", response.Json.GetProperty("experiment").GetProperty("name").GetString());
    }
}
