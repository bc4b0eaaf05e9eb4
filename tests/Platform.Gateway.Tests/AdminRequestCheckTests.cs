using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json.Nodes;
using Platform.Gateway.Admin;
using Platform.Gateway.Tests.Fixtures;
using Platform.Testing.Oidc;

namespace Platform.Gateway.Tests;

/// <summary>
/// Admin API input checks: size limits, the owner as collaborator, email rules and the JSON errors
/// for malformed bodies, content types and methods.
/// </summary>
public sealed class AdminRequestCheckTests : IAsyncLifetime
{
    private const string Owner = "alice@lab.test";

    private TestOidcProvider _provider = null!;
    private GatewayHost _gateway = null!;

    public async Task InitializeAsync()
    {
        _provider = await TestOidcProvider.StartAsync();
        _gateway = await GatewayHost.StartAsync(_provider);
        await _gateway.CreateTenantAsync("alice", Owner, "http://127.0.0.1:9", "carol@lab.test");
    }

    public async Task DisposeAsync()
    {
        await _gateway.DisposeAsync();
        await _provider.DisposeAsync();
    }

    [Fact]
    public async Task Too_many_addresses_per_request_400()
    {
        var add = Enumerable.Range(0, AdminLimits.MaxAddressesPerRequest + 1).Select(i => $"u{i}@lab.test").ToArray();

        var (status, body) = await _gateway.AdminAsync(HttpMethod.Patch, "admin/v1/tenants/alice", new { AddCollaborators = add });

        Assert.Equal(400, status);
        Assert.Contains($"at most {AdminLimits.MaxAddressesPerRequest}", Message(body), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Collaborator_limit_enforced_on_update()
    {
        // The tenant starts with one collaborator, so these requests fill it to exactly the limit.
        var remaining = AdminLimits.MaxCollaboratorsPerTenant - 1;
        for (var batch = 0; remaining > 0; batch++)
        {
            var size = Math.Min(remaining, AdminLimits.MaxAddressesPerRequest);
            var add = Enumerable.Range(0, size).Select(i => $"u{batch}-{i}@lab.test").ToArray();
            var (batchStatus, _) = await _gateway.AdminAsync(HttpMethod.Patch, "admin/v1/tenants/alice", new { AddCollaborators = add });
            Assert.Equal(200, batchStatus);
            remaining -= size;
        }

        var (status, body) = await _gateway.AdminAsync(HttpMethod.Patch, "admin/v1/tenants/alice", new { AddCollaborators = new[] { "last@lab.test" } });
        var (_, tenant) = await _gateway.AdminAsync(HttpMethod.Get, "admin/v1/tenants/alice");

        Assert.Equal(400, status);
        Assert.Contains($"at most {AdminLimits.MaxCollaboratorsPerTenant}", Message(body), StringComparison.Ordinal);
        Assert.Equal(AdminLimits.MaxCollaboratorsPerTenant, tenant!["collaborators"]!.AsArray().Count);
    }

    [Fact]
    public async Task Collaborator_limit_enforced_on_create()
    {
        var collaborators = Enumerable.Range(0, AdminLimits.MaxCollaboratorsPerTenant + 1).Select(i => $"u{i}@lab.test").ToArray();

        var (status, body) = await _gateway.AdminAsync(HttpMethod.Post, "admin/v1/tenants", new { Name = "bob", Owner = "bob@lab.test", Collaborators = collaborators });

        Assert.Equal(400, status);
        Assert.Contains($"at most {AdminLimits.MaxCollaboratorsPerTenant}", Message(body), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Long_invalid_value_truncated()
    {
        var value = new string('x', 100_000);

        var (status, body) = await _gateway.AdminAsync(HttpMethod.Patch, "admin/v1/tenants/alice", new { AddCollaborators = new[] { value } });

        Assert.Equal(400, status);
        Assert.Contains("(100000 characters)", Message(body), StringComparison.Ordinal);
        Assert.True(Message(body).Length < 500, Message(body));
    }

    [Fact]
    public async Task Owner_as_collaborator_rejected_on_update()
    {
        var (status, body) = await _gateway.AdminAsync(HttpMethod.Patch, "admin/v1/tenants/alice", new { AddCollaborators = new[] { "ALICE@lab.test" } });

        Assert.Equal(400, status);
        Assert.Contains("is the owner of tenant 'alice' and cannot also be a collaborator", Message(body), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Owner_as_collaborator_rejected_on_create()
    {
        var (status, body) = await _gateway.AdminAsync(HttpMethod.Post, "admin/v1/tenants", new { Name = "bob", Owner = "bob@lab.test", Collaborators = new[] { "bob@lab.test" } });

        Assert.Equal(400, status);
        Assert.Contains("is the owner and cannot also be a collaborator", Message(body), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("a@b", false)]
    [InlineData("a@x.com.", false)]
    [InlineData("a@.x.com", false)]
    [InlineData("a@x..com", false)]
    [InlineData("josé@x.com", true)]
    [InlineData("ada@lab.example", true)]
    public void Email_requires_dotted_domain(string email, bool valid)
    {
        Assert.Equal(valid, EmailAddress.IsValid(email));
    }

    [Theory]
    [InlineData("{\"add_collaborators\": [", "Invalid JSON in the request body at line 1")]
    [InlineData("{\"add_collaborators\": \"dan@lab.test\"}", "Invalid value for field 'add_collaborators': expected a list of email address strings")]
    [InlineData("{\"owner\": \"x@lab.test\", \"addCollaborators\": []}", "Unknown field(s) 'owner', 'addCollaborators' in the request body. Accepted fields: add_collaborators, remove_collaborators.")]
    [InlineData("[]", "not an object")]
    public async Task Malformed_body_explained(string json, string expected)
    {
        var (status, body) = await SendAsync(HttpMethod.Patch, "admin/v1/tenants/alice", json, "application/json");

        Assert.Equal(HttpStatusCode.BadRequest, status);
        Assert.Contains(expected, Message(body), StringComparison.Ordinal);
        Assert.DoesNotContain("Failed to read parameter", Message(body), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Missing_body_explained()
    {
        var (status, body) = await SendAsync(HttpMethod.Patch, "admin/v1/tenants/alice", null, null);

        Assert.Equal(HttpStatusCode.BadRequest, status);
        Assert.Contains("Missing request body", Message(body), StringComparison.Ordinal);
        Assert.Equal("INVALID_PARAMETER_VALUE", body!["error_code"]!.GetValue<string>());
    }

    [Fact]
    public async Task Wrong_content_type_415_json()
    {
        var (status, body) = await SendAsync(HttpMethod.Patch, "admin/v1/tenants/alice", "add_collaborators=x", "text/plain");

        Assert.Equal(HttpStatusCode.UnsupportedMediaType, status);
        Assert.Contains("Unsupported content type 'text/plain", Message(body), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Wrong_method_405_json()
    {
        var (status, body) = await SendAsync(HttpMethod.Put, "admin/v1/tenants/alice", "{}", "application/json");

        Assert.Equal(HttpStatusCode.MethodNotAllowed, status);
        Assert.Contains("Method PUT is not allowed on '/admin/v1/tenants/alice'", Message(body), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Create_rejects_unknown_field()
    {
        var (status, body) = await SendAsync(HttpMethod.Post, "admin/v1/tenants", "{\"name\":\"bob\",\"owner\":\"bob@lab.test\",\"colaborators\":[]}", "application/json");

        Assert.Equal(HttpStatusCode.BadRequest, status);
        Assert.Contains("Unknown field(s) 'colaborators'", Message(body), StringComparison.Ordinal);
    }

    [Fact]
    public void Log_lists_few_addresses_and_counts_many()
    {
        Assert.Equal("[a@x.com]", AdminLimits.ForLog(["a@x.com"]));
        Assert.Equal("11 addresses", AdminLimits.ForLog([.. Enumerable.Range(0, 11).Select(i => $"u{i}@x.com")]));
    }

    private static string Message(JsonNode? body) => body!["message"]!.GetValue<string>();

    private async Task<(HttpStatusCode Status, JsonNode? Body)> SendAsync(HttpMethod method, string path, string? content, string? contentType)
    {
        using var request = new HttpRequestMessage(method, path);
        if (content is not null)
        {
            request.Content = new StringContent(content, Encoding.UTF8);
            request.Content.Headers.ContentType = contentType is null ? null : MediaTypeHeaderValue.Parse(contentType);
        }

        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", _gateway.AdminToken);
        using var response = await _gateway.Client.SendAsync(request);
        var text = await response.Content.ReadAsStringAsync();
        return (response.StatusCode, JsonNode.Parse(text));
    }
}
