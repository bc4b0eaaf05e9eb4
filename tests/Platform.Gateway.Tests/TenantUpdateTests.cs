using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json.Nodes;
using Platform.Gateway.Tests.Fixtures;
using Platform.Testing.Oidc;

namespace Platform.Gateway.Tests;

/// <summary>
/// <c>PATCH /admin/v1/tenants/{name}</c>: collaborator changes, their effect on authorization,
/// persistence across restarts, input checks and who may call it.
/// </summary>
public sealed class TenantUpdateTests : IAsyncLifetime
{
    private const string Owner = "alice@lab.test";
    private const string Carol = "carol@lab.test";
    private const string Dan = "dan@lab.test";

    private TestOidcProvider _provider = null!;
    private TestUpstream _upstream = null!;
    private GatewayHost _gateway = null!;

    public async Task InitializeAsync()
    {
        _provider = await TestOidcProvider.StartAsync();
        _upstream = await TestUpstream.StartAsync("alice");
        _gateway = await GatewayHost.StartAsync(_provider);
        await _gateway.CreateTenantAsync("alice", Owner, _upstream.Address, Carol);
    }

    public async Task DisposeAsync()
    {
        await _gateway.DisposeAsync();
        await _upstream.DisposeAsync();
        await _provider.DisposeAsync();
    }

    [Fact]
    public async Task Added_collaborator_admitted_immediately()
    {
        var token = await _gateway.CreateTokenAsync(Dan);
        var (before, _) = await SearchAsync(_gateway, token);

        var (status, body) = await UpdateAsync("alice", add: [Dan]);
        var (after, afterBody) = await SearchAsync(_gateway, token);

        Assert.Equal(HttpStatusCode.Forbidden, before);
        Assert.Equal(200, status);
        Assert.Equal([Carol, Dan], Collaborators(body));
        Assert.Equal("alice", body!["name"]!.GetValue<string>());
        Assert.Equal(HttpStatusCode.OK, after);
        Assert.Equal(Dan, JsonNode.Parse(afterBody)!["user"]!.GetValue<string>());
    }

    [Fact]
    public async Task Removed_collaborator_rejected_immediately()
    {
        var token = await _gateway.CreateTokenAsync(Carol);
        var (before, _) = await SearchAsync(_gateway, token);

        var (status, body) = await UpdateAsync("alice", remove: [Carol]);
        var (after, afterBody) = await SearchAsync(_gateway, token);

        Assert.Equal(HttpStatusCode.OK, before);
        Assert.Equal(200, status);
        Assert.Empty(Collaborators(body));
        Assert.Equal(HttpStatusCode.Forbidden, after);
        Assert.Contains($"User '{Carol}' is not the owner or a collaborator of tenant 'alice'.", afterBody, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Add_and_remove_in_one_request()
    {
        var (status, body) = await UpdateAsync("alice", add: [Dan, "erin@lab.test"], remove: [Carol]);

        Assert.Equal(200, status);
        Assert.Equal([Dan, "erin@lab.test"], Collaborators(body));
    }

    [Fact]
    public async Task Emails_compared_case_insensitively()
    {
        var (status, body) = await UpdateAsync("alice", add: ["Dan@Lab.Test"], remove: ["CAROL@lab.test"]);

        Assert.Equal(200, status);
        Assert.Equal([Dan], Collaborators(body));
    }

    [Fact]
    public async Task Adding_existing_collaborator_is_noop()
    {
        var (status, body) = await UpdateAsync("alice", add: [Carol, "carol@LAB.test"]);

        Assert.Equal(200, status);
        Assert.Equal([Carol], Collaborators(body));
    }

    [Fact]
    public async Task Update_survives_restart()
    {
        var dataDirectory = Directory.CreateTempSubdirectory("gateway-update-restart-").FullName;
        try
        {
            string danToken;
            string carolToken;
            await using (var first = await GatewayHost.StartAsync(_provider, dataDirectory: dataDirectory))
            {
                await first.CreateTenantAsync("alice", Owner, _upstream.Address, Carol);
                danToken = await first.CreateTokenAsync(Dan);
                carolToken = await first.CreateTokenAsync(Carol);
                var (status, _) = await first.AdminAsync(
                    HttpMethod.Patch, "admin/v1/tenants/alice", new { AddCollaborators = new[] { Dan }, RemoveCollaborators = new[] { Carol } });
                Assert.Equal(200, status);
            }

            await using var second = await GatewayHost.StartAsync(_provider, dataDirectory: dataDirectory);
            var (getStatus, tenant) = await second.AdminAsync(HttpMethod.Get, "admin/v1/tenants/alice");

            Assert.Equal(200, getStatus);
            Assert.Equal([Dan], Collaborators(tenant));
            Assert.Equal(HttpStatusCode.OK, (await SearchAsync(second, danToken)).Status);
            Assert.Equal(HttpStatusCode.Forbidden, (await SearchAsync(second, carolToken)).Status);
        }
        finally
        {
            Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
            Directory.Delete(dataDirectory, recursive: true);
        }
    }

    [Fact]
    public async Task Unknown_tenant_404_json()
    {
        var (status, body) = await UpdateAsync("ghost", add: [Dan]);

        Assert.Equal(404, status);
        Assert.Equal("RESOURCE_DOES_NOT_EXIST", body!["error_code"]!.GetValue<string>());
        Assert.Equal("Tenant 'ghost' does not exist.", body["message"]!.GetValue<string>());
    }

    [Theory]
    [InlineData("not-an-email", null, "Invalid collaborator 'not-an-email' in add_collaborators")]
    [InlineData("dan @lab.test", null, "Invalid collaborator 'dan @lab.test' in add_collaborators")]
    [InlineData("Dan <dan@lab.test>", null, "Invalid collaborator 'Dan <dan@lab.test>' in add_collaborators")]
    [InlineData(null, "carol", "Invalid collaborator 'carol' in remove_collaborators")]
    [InlineData("", null, "Invalid collaborator '' in add_collaborators")]
    public async Task Invalid_email_400(string? add, string? remove, string expected)
    {
        var (status, body) = await UpdateAsync("alice", add: add is null ? null : [add], remove: remove is null ? null : [remove]);
        var (_, tenant) = await _gateway.AdminAsync(HttpMethod.Get, "admin/v1/tenants/alice");

        Assert.Equal(400, status);
        Assert.Equal("INVALID_PARAMETER_VALUE", body!["error_code"]!.GetValue<string>());
        Assert.Contains(expected, body["message"]!.GetValue<string>(), StringComparison.Ordinal);
        Assert.Equal([Carol], Collaborators(tenant));
    }

    [Fact]
    public async Task Reports_every_invalid_email()
    {
        var (status, body) = await UpdateAsync("alice", add: ["x y", Dan], remove: ["nobody"]);
        var message = body!["message"]!.GetValue<string>();

        Assert.Equal(400, status);
        Assert.Contains("Invalid collaborator 'x y' in add_collaborators", message, StringComparison.Ordinal);
        Assert.Contains("Invalid collaborator 'nobody' in remove_collaborators", message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Empty_update_400()
    {
        var (status, body) = await UpdateAsync("alice", add: [], remove: []);
        var (nullStatus, nullBody) = await UpdateAsync("alice");

        Assert.Equal(400, status);
        Assert.Contains("Nothing to update", body!["message"]!.GetValue<string>(), StringComparison.Ordinal);
        Assert.Equal(400, nullStatus);
        Assert.Contains("Nothing to update", nullBody!["message"]!.GetValue<string>(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Same_email_in_both_lists_400()
    {
        var (status, body) = await UpdateAsync("alice", add: [Dan], remove: ["DAN@lab.test"]);

        Assert.Equal(400, status);
        Assert.Contains(
            $"'{Dan}' is in both add_collaborators and remove_collaborators",
            body!["message"]!.GetValue<string>(),
            StringComparison.Ordinal);
    }

    [Fact]
    public async Task Removing_non_collaborator_changes_nothing()
    {
        var (status, body) = await UpdateAsync("alice", add: [Dan], remove: ["mallory@lab.test"]);
        var (_, tenant) = await _gateway.AdminAsync(HttpMethod.Get, "admin/v1/tenants/alice");
        var message = body!["message"]!.GetValue<string>();

        Assert.Equal(400, status);
        Assert.Equal("INVALID_PARAMETER_VALUE", body["error_code"]!.GetValue<string>());
        Assert.Contains("'mallory@lab.test' is not a collaborator of tenant 'alice'.", message, StringComparison.Ordinal);
        Assert.Contains($"Current collaborators: {Carol}.", message, StringComparison.Ordinal);
        Assert.Contains("Nothing was changed.", message, StringComparison.Ordinal);
        Assert.Equal([Carol], Collaborators(tenant));
    }

    [Fact]
    public async Task Removing_owner_400()
    {
        var (status, body) = await UpdateAsync("alice", remove: [Owner]);

        Assert.Equal(400, status);
        Assert.Contains(
            $"'{Owner}' is the owner of tenant 'alice', not a collaborator, and cannot be removed.",
            body!["message"]!.GetValue<string>(),
            StringComparison.Ordinal);
    }

    [Fact]
    public async Task Malformed_json_400_json()
    {
        using var request = new HttpRequestMessage(HttpMethod.Patch, "admin/v1/tenants/alice")
        {
            Content = new StringContent("{\"add_collaborators\": \"dan@lab.test\"}", Encoding.UTF8, "application/json"),
        };
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", _gateway.AdminToken);

        using var response = await _gateway.Client.SendAsync(request);
        var body = JsonNode.Parse(await response.Content.ReadAsStringAsync());

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("INVALID_PARAMETER_VALUE", body!["error_code"]!.GetValue<string>());
    }

    [Fact]
    public async Task Non_admin_rejected()
    {
        var token = await _gateway.CreateTokenAsync(Owner);
        using var request = new HttpRequestMessage(HttpMethod.Patch, "admin/v1/tenants/alice")
        {
            Content = new StringContent("{\"add_collaborators\": [\"dan@lab.test\"]}", Encoding.UTF8, "application/json"),
        };
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);

        using var response = await _gateway.Client.SendAsync(request);
        var (_, tenant) = await _gateway.AdminAsync(HttpMethod.Get, "admin/v1/tenants/alice");

        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
        Assert.Contains($"User '{Owner}' is not a platform admin.", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Equal([Carol], Collaborators(tenant));
    }

    [Fact]
    public async Task Anonymous_rejected()
    {
        using var request = new HttpRequestMessage(HttpMethod.Patch, "admin/v1/tenants/alice")
        {
            Content = new StringContent("{\"add_collaborators\": [\"dan@lab.test\"]}", Encoding.UTF8, "application/json"),
        };

        using var response = await _gateway.Client.SendAsync(request);

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
    }

    private Task<(int Status, JsonNode? Body)> UpdateAsync(string tenant, string[]? add = null, string[]? remove = null) =>
        _gateway.AdminAsync(HttpMethod.Patch, "admin/v1/tenants/" + tenant, new { AddCollaborators = add, RemoveCollaborators = remove });

    private static string[] Collaborators(JsonNode? tenant) =>
        [.. tenant!["collaborators"]!.AsArray().Select(c => c!.GetValue<string>())];

    private static async Task<(HttpStatusCode Status, string Body)> SearchAsync(GatewayHost gateway, string token)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, "u/alice/api/2.0/mlflow/experiments/search");
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        using var response = await gateway.Client.SendAsync(request);
        return (response.StatusCode, await response.Content.ReadAsStringAsync());
    }
}
