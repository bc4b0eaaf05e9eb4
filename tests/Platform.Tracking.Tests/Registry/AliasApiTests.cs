using System.Net;
using Platform.Tracking.Tests.Infrastructure;

namespace Platform.Tracking.Tests.Registry;

[Collection(RegistryServersCollection.Name)]
public sealed class AliasApiTests
{
    private readonly RegistryServersFixture _servers;

    public AliasApiTests(RegistryServersFixture servers)
    {
        _servers = servers;
    }

    [Theory]
    [MemberData(nameof(Backends.All), MemberType = typeof(Backends))]
    public async Task Alias_SetGetMoveDelete(string backend)
    {
        var api = _servers.Api(backend);
        var runId = await api.CreateRunAsync();
        var name = await api.CreateModelAsync();
        var first = await api.CreateVersionAsync(name, runId);
        var second = await api.CreateVersionAsync(name, runId);

        (await api.PostAsync("registered-models/alias", $$"""{"name": "{{name}}", "alias": "champion", "version": "{{first}}"}""")).EnsureOk();
        var byAlias = (await api.GetAsync($"/api/2.0/mlflow/registered-models/alias?name={name}&alias=champion")).EnsureOk()
            .Json.GetProperty("model_version");
        Assert.Equal(first, byAlias.GetProperty("version").GetString());
        Assert.Equal("champion", Assert.Single(byAlias.GetProperty("aliases").EnumerateArray()).GetString());
        var model = (await api.GetAsync($"/api/2.0/mlflow/registered-models/get?name={name}")).EnsureOk().Json.GetProperty("registered_model");
        var alias = Assert.Single(model.GetProperty("aliases").EnumerateArray());
        Assert.Equal("champion", alias.GetProperty("alias").GetString());
        Assert.Equal(first, alias.GetProperty("version").GetString());

        (await api.PostAsync("registered-models/alias", $$"""{"name": "{{name}}", "alias": "champion", "version": "{{second}}"}""")).EnsureOk();
        var moved = (await api.GetAsync($"/api/2.0/mlflow/registered-models/alias?name={name}&alias=champion")).EnsureOk();
        Assert.Equal(second, moved.Json.GetProperty("model_version").GetProperty("version").GetString());
        var old = (await api.GetAsync($"/api/2.0/mlflow/model-versions/get?name={name}&version={first}")).EnsureOk();
        Assert.Empty(old.Json.GetProperty("model_version").GetProperty("aliases").EnumerateArray());

        (await api.DeleteAsync("registered-models/alias", $$"""{"name": "{{name}}", "alias": "champion"}""")).EnsureOk();
        var deleted = await api.GetAsync($"/api/2.0/mlflow/registered-models/alias?name={name}&alias=champion");
        deleted.AssertError(HttpStatusCode.NotFound, "RESOURCE_DOES_NOT_EXIST");
        Assert.Contains("champion", deleted.Message, StringComparison.Ordinal);
    }

    [Theory]
    [MemberData(nameof(Backends.All), MemberType = typeof(Backends))]
    public async Task DeleteVersion_RemovesItsAliases(string backend)
    {
        var api = _servers.Api(backend);
        var runId = await api.CreateRunAsync();
        var name = await api.CreateModelAsync();
        var first = await api.CreateVersionAsync(name, runId);
        var second = await api.CreateVersionAsync(name, runId);
        (await api.PostAsync("registered-models/alias", $$"""{"name": "{{name}}", "alias": "old", "version": "{{first}}"}""")).EnsureOk();
        (await api.PostAsync("registered-models/alias", $$"""{"name": "{{name}}", "alias": "new", "version": "{{second}}"}""")).EnsureOk();

        (await api.DeleteAsync("model-versions/delete", $$"""{"name": "{{name}}", "version": "{{first}}"}""")).EnsureOk();

        (await api.GetAsync($"/api/2.0/mlflow/registered-models/alias?name={name}&alias=old")).AssertError(HttpStatusCode.NotFound, "RESOURCE_DOES_NOT_EXIST");
        var model = (await api.GetAsync($"/api/2.0/mlflow/registered-models/get?name={name}")).EnsureOk().Json.GetProperty("registered_model");
        Assert.Equal("new", Assert.Single(model.GetProperty("aliases").EnumerateArray()).GetProperty("alias").GetString());
    }

    [Theory]
    [MemberData(nameof(Backends.All), MemberType = typeof(Backends))]
    public async Task SetAlias_UnknownModelOrVersion_IsNotFound(string backend)
    {
        var api = _servers.Api(backend);
        var name = await api.CreateModelAsync();
        var missing = RegistryCalls.UniqueName("missing");

        var unknownVersion = await api.PostAsync("registered-models/alias", $$"""{"name": "{{name}}", "alias": "a", "version": "9"}""");
        var unknownModel = await api.PostAsync("registered-models/alias", $$"""{"name": "{{missing}}", "alias": "a", "version": "1"}""");
        var getUnknownModel = await api.GetAsync($"/api/2.0/mlflow/registered-models/alias?name={missing}&alias=a");
        var deleteUnknownModel = await api.DeleteAsync("registered-models/alias", $$"""{"name": "{{missing}}", "alias": "a"}""");

        unknownVersion.AssertError(HttpStatusCode.NotFound, "RESOURCE_DOES_NOT_EXIST");
        Assert.Contains("version=9", unknownVersion.Message, StringComparison.Ordinal);
        unknownModel.AssertError(HttpStatusCode.NotFound, "RESOURCE_DOES_NOT_EXIST");
        getUnknownModel.AssertError(HttpStatusCode.NotFound, "RESOURCE_DOES_NOT_EXIST");
        deleteUnknownModel.AssertError(HttpStatusCode.NotFound, "RESOURCE_DOES_NOT_EXIST");
    }

    [Theory]
    [MemberData(nameof(Backends.All), MemberType = typeof(Backends))]
    public async Task SetAlias_InvalidNames_AreRejected(string backend)
    {
        var api = _servers.Api(backend);
        var runId = await api.CreateRunAsync();
        var name = await api.CreateModelAsync();
        var version = await api.CreateVersionAsync(name, runId);

        foreach (var alias in new[] { "latest", "Latest", "v1", "V12", "has space", "dot.ted", "", new string('a', 256) })
        {
            var response = await api.PostAsync("registered-models/alias", $$"""{"name": "{{name}}", "alias": "{{alias}}", "version": "{{version}}"}""");

            response.AssertError(HttpStatusCode.BadRequest, "INVALID_PARAMETER_VALUE");
        }

        (await api.PostAsync("registered-models/alias", $$"""{"name": "{{name}}", "alias": "v1-candidate_2", "version": "{{version}}"}""")).EnsureOk();
        (await api.PostAsync("registered-models/alias", $$"""{"name": "{{name}}", "alias": "numeric", "version": {{version}}}""")).EnsureOk();
        (await api.PostAsync("registered-models/alias", $$"""{"name": "{{name}}", "alias": "missing-version"}"""))
            .AssertError(HttpStatusCode.BadRequest, "INVALID_PARAMETER_VALUE");
    }
}
