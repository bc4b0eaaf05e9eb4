using System.Net;
using Platform.Tracking.Tests.Infrastructure;

namespace Platform.Tracking.Tests.Registry;

[Collection(RegistryServersCollection.Name)]
public sealed class RegisteredModelApiTests
{
    private readonly RegistryServersFixture _servers;

    public RegisteredModelApiTests(RegistryServersFixture servers)
    {
        _servers = servers;
    }

    [Theory]
    [MemberData(nameof(Backends.All), MemberType = typeof(Backends))]
    public async Task Create_ThenGet_ReturnsAllFields(string backend)
    {
        var api = _servers.Api(backend);
        var name = RegistryCalls.UniqueName("create");

        var created = (await api.PostAsync("registered-models/create",
            $$"""{"name": "{{name}}", "tags": [{"key": "team", "value": "ranking"}], "description": "FFM ranker"}""")).EnsureOk();
        var fetched = (await api.GetAsync($"/api/2.0/mlflow/registered-models/get?name={name}")).EnsureOk();

        foreach (var model in new[] { created.Json.GetProperty("registered_model"), fetched.Json.GetProperty("registered_model") })
        {
            Assert.Equal(name, model.GetProperty("name").GetString());
            Assert.Equal("FFM ranker", model.GetProperty("description").GetString());
            Assert.True(model.GetProperty("creation_timestamp").GetInt64() > 1_600_000_000_000);
            Assert.Equal(model.GetProperty("creation_timestamp").GetInt64(), model.GetProperty("last_updated_timestamp").GetInt64());
            var tag = Assert.Single(model.GetProperty("tags").EnumerateArray());
            Assert.Equal("team", tag.GetProperty("key").GetString());
            Assert.Equal("ranking", tag.GetProperty("value").GetString());
            Assert.Empty(model.GetProperty("latest_versions").EnumerateArray());
            Assert.Empty(model.GetProperty("aliases").EnumerateArray());
        }
    }

    [Theory]
    [MemberData(nameof(Backends.All), MemberType = typeof(Backends))]
    public async Task Create_DuplicateName_IsAlreadyExists(string backend)
    {
        var api = _servers.Api(backend);
        var name = await api.CreateModelAsync();

        var second = await api.PostAsync("registered-models/create", $$"""{"name": "{{name}}"}""");

        second.AssertError(HttpStatusCode.BadRequest, "RESOURCE_ALREADY_EXISTS");
        Assert.Contains(name, second.Message, StringComparison.Ordinal);
    }

    [Theory]
    [MemberData(nameof(Backends.All), MemberType = typeof(Backends))]
    public async Task Create_MissingName_IsInvalid(string backend)
    {
        var response = await _servers.Api(backend).PostAsync("registered-models/create", """{"description": "no name"}""");

        response.AssertError(HttpStatusCode.BadRequest, "INVALID_PARAMETER_VALUE");
        Assert.Contains("'name'", response.Message, StringComparison.Ordinal);
    }

    [Theory]
    [MemberData(nameof(Backends.All), MemberType = typeof(Backends))]
    public async Task Create_InvalidTagKey_IsInvalid(string backend)
    {
        var response = await _servers.Api(backend).PostAsync("registered-models/create",
            $$"""{"name": "{{RegistryCalls.UniqueName("tag")}}", "tags": [{"key": "a//b", "value": "x"}]}""");

        response.AssertError(HttpStatusCode.BadRequest, "INVALID_PARAMETER_VALUE");
    }

    [Theory]
    [MemberData(nameof(Backends.All), MemberType = typeof(Backends))]
    public async Task UnknownName_IsNotFoundOnEveryRoute(string backend)
    {
        var api = _servers.Api(backend);
        var name = RegistryCalls.UniqueName("missing");

        var responses = new[]
        {
            await api.GetAsync($"/api/2.0/mlflow/registered-models/get?name={name}"),
            await api.PostAsync("registered-models/rename", $$"""{"name": "{{name}}", "new_name": "{{name}}-2"}"""),
            await api.PatchAsync("registered-models/update", $$"""{"name": "{{name}}", "description": "x"}"""),
            await api.DeleteAsync("registered-models/delete", $$"""{"name": "{{name}}"}"""),
            await api.PostAsync("registered-models/set-tag", $$"""{"name": "{{name}}", "key": "k", "value": "v"}"""),
            await api.DeleteAsync("registered-models/delete-tag", $$"""{"name": "{{name}}", "key": "k"}"""),
            await api.PostAsync("registered-models/get-latest-versions", $$"""{"name": "{{name}}"}"""),
            await api.PostAsync("model-versions/create", $$"""{"name": "{{name}}", "source": "mlflow-artifacts:/0/x/artifacts/model"}"""),
        };

        foreach (var response in responses)
        {
            response.AssertError(HttpStatusCode.NotFound, "RESOURCE_DOES_NOT_EXIST");
            Assert.Contains(name, response.Message, StringComparison.Ordinal);
        }
    }

    [Theory]
    [MemberData(nameof(Backends.All), MemberType = typeof(Backends))]
    public async Task Update_SetsDescriptionAndTimestamp(string backend)
    {
        var api = _servers.Api(backend);
        var name = await api.CreateModelAsync();
        var before = (await api.GetAsync($"/api/2.0/mlflow/registered-models/get?name={name}")).EnsureOk()
            .Json.GetProperty("registered_model").GetProperty("last_updated_timestamp").GetInt64();
        await Task.Delay(5);

        var updated = (await api.PatchAsync("registered-models/update", $$"""{"name": "{{name}}", "description": "new text"}""")).EnsureOk()
            .Json.GetProperty("registered_model");

        Assert.Equal("new text", updated.GetProperty("description").GetString());
        Assert.True(updated.GetProperty("last_updated_timestamp").GetInt64() > before);
    }

    [Theory]
    [MemberData(nameof(Backends.All), MemberType = typeof(Backends))]
    public async Task Rename_MovesVersionsTagsAndAliases(string backend)
    {
        var api = _servers.Api(backend);
        var runId = await api.CreateRunAsync();
        var name = await api.CreateModelAsync("old");
        var version = await api.CreateVersionAsync(name, runId);
        (await api.PostAsync("registered-models/set-tag", $$"""{"name": "{{name}}", "key": "owner", "value": "alice"}""")).EnsureOk();
        (await api.PostAsync("model-versions/set-tag", $$"""{"name": "{{name}}", "version": "{{version}}", "key": "validated", "value": "yes"}""")).EnsureOk();
        (await api.PostAsync("registered-models/alias", $$"""{"name": "{{name}}", "alias": "champion", "version": "{{version}}"}""")).EnsureOk();
        var newName = RegistryCalls.UniqueName("new");

        var renamed = (await api.PostAsync("registered-models/rename", $$"""{"name": "{{name}}", "new_name": "{{newName}}"}""")).EnsureOk()
            .Json.GetProperty("registered_model");

        Assert.Equal(newName, renamed.GetProperty("name").GetString());
        Assert.Equal("owner", Assert.Single(renamed.GetProperty("tags").EnumerateArray()).GetProperty("key").GetString());
        Assert.Equal("champion", Assert.Single(renamed.GetProperty("aliases").EnumerateArray()).GetProperty("alias").GetString());
        var byAlias = (await api.GetAsync($"/api/2.0/mlflow/registered-models/alias?name={newName}&alias=champion")).EnsureOk()
            .Json.GetProperty("model_version");
        Assert.Equal(newName, byAlias.GetProperty("name").GetString());
        Assert.Equal("validated", Assert.Single(byAlias.GetProperty("tags").EnumerateArray()).GetProperty("key").GetString());
        (await api.GetAsync($"/api/2.0/mlflow/registered-models/get?name={name}")).AssertError(HttpStatusCode.NotFound, "RESOURCE_DOES_NOT_EXIST");
    }

    [Theory]
    [MemberData(nameof(Backends.All), MemberType = typeof(Backends))]
    public async Task Rename_ToTakenName_IsAlreadyExists(string backend)
    {
        var api = _servers.Api(backend);
        var first = await api.CreateModelAsync();
        var second = await api.CreateModelAsync();

        var response = await api.PostAsync("registered-models/rename", $$"""{"name": "{{first}}", "new_name": "{{second}}"}""");

        response.AssertError(HttpStatusCode.BadRequest, "RESOURCE_ALREADY_EXISTS");
        (await api.GetAsync($"/api/2.0/mlflow/registered-models/get?name={first}")).EnsureOk();
    }

    [Theory]
    [MemberData(nameof(Backends.All), MemberType = typeof(Backends))]
    public async Task Rename_MissingNewName_IsInvalid(string backend)
    {
        var api = _servers.Api(backend);
        var name = await api.CreateModelAsync();

        var response = await api.PostAsync("registered-models/rename", $$"""{"name": "{{name}}"}""");

        response.AssertError(HttpStatusCode.BadRequest, "INVALID_PARAMETER_VALUE");
        Assert.Contains("new_name", response.Message, StringComparison.Ordinal);
    }

    [Theory]
    [MemberData(nameof(Backends.All), MemberType = typeof(Backends))]
    public async Task Delete_RemovesVersionsAndAliases(string backend)
    {
        var api = _servers.Api(backend);
        var runId = await api.CreateRunAsync();
        var name = await api.CreateModelAsync();
        var version = await api.CreateVersionAsync(name, runId);
        (await api.PostAsync("registered-models/alias", $$"""{"name": "{{name}}", "alias": "prod", "version": "{{version}}"}""")).EnsureOk();

        (await api.DeleteAsync("registered-models/delete", $$"""{"name": "{{name}}"}""")).EnsureOk();

        (await api.GetAsync($"/api/2.0/mlflow/model-versions/get?name={name}&version={version}"))
            .AssertError(HttpStatusCode.NotFound, "RESOURCE_DOES_NOT_EXIST");
        var search = (await api.GetAsync($"/api/2.0/mlflow/model-versions/search?filter={Uri.EscapeDataString($"name = '{name}'")}")).EnsureOk();
        Assert.Empty(search.Json.GetProperty("model_versions").EnumerateArray());

        // A new model of the same name starts empty: no old version or alias comes back.
        (await api.PostAsync("registered-models/create", $$"""{"name": "{{name}}"}""")).EnsureOk();
        (await api.GetAsync($"/api/2.0/mlflow/registered-models/alias?name={name}&alias=prod"))
            .AssertError(HttpStatusCode.NotFound, "RESOURCE_DOES_NOT_EXIST");
        Assert.Equal("1", await api.CreateVersionAsync(name, runId));
    }

    [Theory]
    [MemberData(nameof(Backends.All), MemberType = typeof(Backends))]
    public async Task Tags_SetOverwriteDelete(string backend)
    {
        var api = _servers.Api(backend);
        var name = await api.CreateModelAsync();

        (await api.PostAsync("registered-models/set-tag", $$"""{"name": "{{name}}", "key": "stage", "value": "dev"}""")).EnsureOk();
        (await api.PostAsync("registered-models/set-tag", $$"""{"name": "{{name}}", "key": "stage", "value": "prod"}""")).EnsureOk();
        (await api.PostAsync("registered-models/set-tag", $$"""{"name": "{{name}}", "key": "team", "value": "ads"}""")).EnsureOk();
        (await api.DeleteAsync("registered-models/delete-tag", $$"""{"name": "{{name}}", "key": "team"}""")).EnsureOk();
        (await api.DeleteAsync("registered-models/delete-tag", $$"""{"name": "{{name}}", "key": "never-set"}""")).EnsureOk();

        var model = (await api.GetAsync($"/api/2.0/mlflow/registered-models/get?name={name}")).EnsureOk().Json.GetProperty("registered_model");
        var tag = Assert.Single(model.GetProperty("tags").EnumerateArray());
        Assert.Equal("stage", tag.GetProperty("key").GetString());
        Assert.Equal("prod", tag.GetProperty("value").GetString());
    }

    [Theory]
    [MemberData(nameof(Backends.All), MemberType = typeof(Backends))]
    public async Task SetTag_ValueTooLong_IsInvalid(string backend)
    {
        var api = _servers.Api(backend);
        var name = await api.CreateModelAsync();

        var response = await api.PostAsync("registered-models/set-tag", $$"""{"name": "{{name}}", "key": "big", "value": "{{new string('x', 5001)}}"}""");

        response.AssertError(HttpStatusCode.BadRequest, "INVALID_PARAMETER_VALUE");
        Assert.Contains("5000", response.Message, StringComparison.Ordinal);
    }

    [Theory]
    [MemberData(nameof(Backends.All), MemberType = typeof(Backends))]
    public async Task WrongMethod_IsMethodNotAllowed(string backend)
    {
        var response = await _servers.Api(backend).GetAsync("/api/2.0/mlflow/registered-models/create?name=x");

        response.AssertError(HttpStatusCode.MethodNotAllowed, "METHOD_NOT_ALLOWED");
    }

    [Theory]
    [MemberData(nameof(Backends.All), MemberType = typeof(Backends))]
    public async Task AjaxApiPrefix_ServesSameRoutes(string backend)
    {
        var api = _servers.Api(backend);
        var name = await api.CreateModelAsync();

        var response = (await api.GetAsync($"/ajax-api/2.0/mlflow/registered-models/get?name={name}")).EnsureOk();

        Assert.Equal(name, response.Json.GetProperty("registered_model").GetProperty("name").GetString());
    }

    [Theory]
    [MemberData(nameof(Backends.All), MemberType = typeof(Backends))]
    public async Task CoreRoutes_StillServedWithRegistry(string backend)
    {
        var api = _servers.Api(backend);

        (await api.GetAsync("/api/2.0/mlflow/experiments/get?experiment_id=0")).EnsureOk();
        (await api.GetAsync("/api/2.0/mlflow/registered-models/unknown-route")).AssertError(HttpStatusCode.NotFound, "ENDPOINT_NOT_FOUND");
    }
}
