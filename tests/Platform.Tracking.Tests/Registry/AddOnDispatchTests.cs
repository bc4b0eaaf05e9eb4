using System.Net;
using System.Text.Json;
using Platform.Tracking.Tests.Infrastructure;

namespace Platform.Tracking.Tests.Registry;

/// <summary>Add-on routes go through the core router's request handling: body parsing, booleans and JSON errors.</summary>
[Collection(RegistryServersCollection.Name)]
public sealed class AddOnDispatchTests
{
    private readonly RegistryServersFixture _servers;

    public AddOnDispatchTests(RegistryServersFixture servers)
    {
        _servers = servers;
    }

    [Theory]
    [MemberData(nameof(Backends.All), MemberType = typeof(Backends))]
    public async Task DoubleEncodedBody_BooleanRead(string backend)
    {
        var api = _servers.Api(backend);
        var runId = await api.CreateRunAsync();
        var name = await api.CreateModelAsync();
        var first = await api.CreateVersionAsync(name, runId);
        var second = await api.CreateVersionAsync(name, runId);
        (await api.PostAsync("model-versions/transition-stage",
            $$"""{"name": "{{name}}", "version": "{{first}}", "stage": "Staging", "archive_existing_versions": "false"}""")).EnsureOk();

        // Some clients send the JSON object as a JSON string; the boolean inside must still be read.
        var inner = $$"""{"name": "{{name}}", "version": "{{second}}", "stage": "Staging", "archive_existing_versions": true}""";
        (await api.PostAsync("model-versions/transition-stage", JsonSerializer.Serialize(inner))).EnsureOk();

        var archived = (await api.GetAsync($"/api/2.0/mlflow/model-versions/get?name={name}&version={first}")).EnsureOk();
        Assert.Equal("Archived", archived.Json.GetProperty("model_version").GetProperty("current_stage").GetString());
    }

    [Theory]
    [MemberData(nameof(Backends.All), MemberType = typeof(Backends))]
    public async Task InvalidBoolean_Rejected(string backend)
    {
        var api = _servers.Api(backend);
        var runId = await api.CreateRunAsync();
        var name = await api.CreateModelAsync();
        var version = await api.CreateVersionAsync(name, runId);

        var response = await api.PostAsync("model-versions/transition-stage",
            $$"""{"name": "{{name}}", "version": "{{version}}", "stage": "Staging", "archive_existing_versions": 1}""");

        response.AssertError(HttpStatusCode.BadRequest, "INVALID_PARAMETER_VALUE");
        Assert.Contains("archive_existing_versions", response.Message, StringComparison.Ordinal);
    }

    [Theory]
    [MemberData(nameof(Backends.All), MemberType = typeof(Backends))]
    public async Task MalformedBody_IsJsonError(string backend)
    {
        var api = _servers.Api(backend);

        var malformed = await api.PostAsync("registered-models/create", """{"name": """);
        var array = await api.PostAsync("logged-models/search", """["not", "an", "object"]""");

        malformed.AssertError(HttpStatusCode.BadRequest, "INVALID_PARAMETER_VALUE");
        Assert.Contains("Malformed JSON", malformed.Message, StringComparison.Ordinal);
        array.AssertError(HttpStatusCode.BadRequest, "INVALID_PARAMETER_VALUE");
        Assert.Contains("JSON object", array.Message, StringComparison.Ordinal);
    }

    [Theory]
    [MemberData(nameof(Backends.All), MemberType = typeof(Backends))]
    public async Task WrongMethod_ListsAllowedMethods(string backend)
    {
        var api = _servers.Api(backend);

        var response = await api.SendAsync(HttpMethod.Put, "logged-models/m-0123456789abcdef0123456789abcdef", "{}", null);

        response.AssertError(HttpStatusCode.MethodNotAllowed, "METHOD_NOT_ALLOWED");
        Assert.Contains("GET", response.Message, StringComparison.Ordinal);
        Assert.Contains("PATCH", response.Message, StringComparison.Ordinal);
        Assert.Contains("DELETE", response.Message, StringComparison.Ordinal);
    }
}
