using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text;
using Platform.Gateway.Tests.Fixtures;
using Platform.Testing.Oidc;

namespace Platform.Gateway.Tests;

/// <summary>The admin API: who may call it, input checks, and persistence across restarts.</summary>
public sealed class AdminApiTests : IAsyncLifetime
{
    private TestOidcProvider _provider = null!;
    private GatewayHost _gateway = null!;

    public async Task InitializeAsync()
    {
        _provider = await TestOidcProvider.StartAsync();
        _gateway = await GatewayHost.StartAsync(_provider);
    }

    public async Task DisposeAsync()
    {
        await _gateway.DisposeAsync();
        await _provider.DisposeAsync();
    }

    [Fact]
    public async Task Admin_api_requires_credentials()
    {
        using var response = await _gateway.Client.GetAsync("admin/v1/tenants");

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.Contains("UNAUTHENTICATED", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Admin_api_rejects_non_admin()
    {
        var token = await _gateway.CreateTokenAsync("alice@lab.test");
        using var request = new HttpRequestMessage(HttpMethod.Get, "admin/v1/tenants");
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);

        using var response = await _gateway.Client.SendAsync(request);

        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
        Assert.Contains("User 'alice@lab.test' is not a platform admin.", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Admin_api_accepts_admin_id_token()
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, "admin/v1/tenants");
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", _provider.CreateIdToken(GatewayHost.AdminEmail));

        using var response = await _gateway.Client.SendAsync(request);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }

    [Fact]
    public async Task Wrong_admin_token_rejected()
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, "admin/v1/tenants");
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", "lpa_wrong");

        using var response = await _gateway.Client.SendAsync(request);

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.Contains("The admin token is invalid.", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Admin_token_not_for_tenants()
    {
        await using var upstream = await TestUpstream.StartAsync("alice");
        await _gateway.CreateTenantAsync("alice", "alice@lab.test", upstream.Address);
        using var request = new HttpRequestMessage(HttpMethod.Get, "u/alice/api/2.0/mlflow/experiments/search");
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", _gateway.AdminToken);

        using var response = await _gateway.Client.SendAsync(request);

        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
        Assert.Contains("only for the admin API", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    [Fact]
    [System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
    public async Task Admin_token_file_is_private()
    {
        var mode = File.GetUnixFileMode(Path.Combine(_gateway.DataDirectory, "admin-token"));

        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, mode);
        Assert.StartsWith("lpa_", _gateway.AdminToken, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("Alice", "alice@lab.test", "Invalid tenant name 'Alice'")]
    [InlineData("a..b", "alice@lab.test", "Invalid tenant name 'a..b'")]
    [InlineData("-alice", "alice@lab.test", "Invalid tenant name '-alice'")]
    [InlineData("alice", "not-an-email", "Invalid owner 'not-an-email'")]
    [InlineData(null, null, "Invalid tenant name ''")]
    public async Task Create_tenant_validates_input(string? name, string? owner, string expected)
    {
        var (status, body) = await _gateway.AdminAsync(HttpMethod.Post, "admin/v1/tenants", new { Name = name, Owner = owner });

        Assert.Equal(400, status);
        Assert.Equal("INVALID_PARAMETER_VALUE", body!["error_code"]!.GetValue<string>());
        Assert.Contains(expected, body["message"]!.GetValue<string>(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Create_tenant_reports_every_error()
    {
        var (status, body) = await _gateway.AdminAsync(HttpMethod.Post, "admin/v1/tenants", new { Name = "Bad_Name", Owner = "nobody", Collaborators = new[] { "x y" }, Destination = "ftp://x" });
        var message = body!["message"]!.GetValue<string>();

        Assert.Equal(400, status);
        Assert.Contains("Invalid tenant name 'Bad_Name'", message, StringComparison.Ordinal);
        Assert.Contains("Invalid owner 'nobody'", message, StringComparison.Ordinal);
        Assert.Contains("Invalid collaborator 'x y'", message, StringComparison.Ordinal);
        Assert.Contains("Invalid destination 'ftp://x'", message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Duplicate_tenant_conflicts()
    {
        await _gateway.CreateTenantAsync("alice", "alice@lab.test", "http://127.0.0.1:1");

        var (status, body) = await _gateway.AdminAsync(HttpMethod.Post, "admin/v1/tenants", new { Name = "alice", Owner = "bob@lab.test", Destination = "http://127.0.0.1:1" });

        Assert.Equal(409, status);
        Assert.Equal("RESOURCE_ALREADY_EXISTS", body!["error_code"]!.GetValue<string>());
    }

    [Fact]
    public async Task Delete_unknown_tenant_404()
    {
        var (status, body) = await _gateway.AdminAsync(HttpMethod.Delete, "admin/v1/tenants/ghost");

        Assert.Equal(404, status);
        Assert.Contains("Tenant 'ghost' does not exist.", body!["message"]!.GetValue<string>(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Delete_tenant_revokes_scoped_tokens()
    {
        await _gateway.CreateTenantAsync("alice", "alice@lab.test", "http://127.0.0.1:1");
        await _gateway.CreateTokenAsync("alice@lab.test", "alice");

        var (_, deleted) = await _gateway.AdminAsync(HttpMethod.Delete, "admin/v1/tenants/alice");
        var (_, tokens) = await _gateway.AdminAsync(HttpMethod.Get, "admin/v1/tokens");

        Assert.Equal(1, deleted!["revoked_tokens"]!.GetValue<int>());
        Assert.NotNull(tokens!["tokens"]!.AsArray().Single()!["revoked_at"]);
    }

    [Theory]
    [InlineData("not-an-email", null, null, "Invalid user 'not-an-email'")]
    [InlineData("alice@lab.test", "ghost", null, "Tenant 'ghost' does not exist")]
    [InlineData("alice@lab.test", null, -5L, "Invalid expires_in_seconds -5")]
    public async Task Create_token_validates_input(string user, string? tenant, long? expiresInSeconds, string expected)
    {
        var (status, body) = await _gateway.AdminAsync(HttpMethod.Post, "admin/v1/tokens", new { User = user, Tenant = tenant, ExpiresInSeconds = expiresInSeconds });

        Assert.Equal(400, status);
        Assert.Contains(expected, body!["message"]!.GetValue<string>(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Token_secret_never_listed()
    {
        var secret = await _gateway.CreateTokenAsync("alice@lab.test");

        using var request = new HttpRequestMessage(HttpMethod.Get, "admin/v1/tokens");
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", _gateway.AdminToken);
        using var response = await _gateway.Client.SendAsync(request);
        var listing = await response.Content.ReadAsStringAsync();

        Assert.StartsWith("lpt_", secret, StringComparison.Ordinal);
        Assert.DoesNotContain(secret, listing, StringComparison.Ordinal);
        Assert.DoesNotContain(secret, await File.ReadAllTextAsync(Path.Combine(_gateway.DataDirectory, "gateway.db"), Encoding.Latin1), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Revoke_unknown_token_404()
    {
        var (status, body) = await _gateway.AdminAsync(HttpMethod.Delete, "admin/v1/tokens/tok_missing");

        Assert.Equal(404, status);
        Assert.Contains("Token 'tok_missing' does not exist", body!["message"]!.GetValue<string>(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Malformed_json_returns_400_json()
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, "admin/v1/tenants") { Content = new StringContent("{not json", Encoding.UTF8, "application/json") };
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", _gateway.AdminToken);

        using var response = await _gateway.Client.SendAsync(request);
        var body = await response.Content.ReadFromJsonAsync<System.Text.Json.Nodes.JsonObject>();

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("INVALID_PARAMETER_VALUE", body!["error_code"]!.GetValue<string>());
    }

    [Fact]
    public async Task State_survives_restart()
    {
        await using var upstream = await TestUpstream.StartAsync("alice");
        var dataDirectory = Directory.CreateTempSubdirectory("gateway-restart-").FullName;
        try
        {
            string secret;
            string adminToken;
            await using (var first = await GatewayHost.StartAsync(_provider, dataDirectory: dataDirectory))
            {
                await first.CreateTenantAsync("alice", "alice@lab.test", upstream.Address, "carol@lab.test");
                secret = await first.CreateTokenAsync("carol@lab.test");
                adminToken = first.AdminToken;
            }

            await using var second = await GatewayHost.StartAsync(_provider, dataDirectory: dataDirectory);
            using var request = new HttpRequestMessage(HttpMethod.Get, "u/alice/api/2.0/mlflow/experiments/search");
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", secret);
            using var response = await second.Client.SendAsync(request);

            Assert.Equal(adminToken, second.AdminToken);
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        }
        finally
        {
            Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
            Directory.Delete(dataDirectory, recursive: true);
        }
    }

    [Fact]
    public async Task Missing_gateway_secret_fails_start()
    {
        var error = await Assert.ThrowsAnyAsync<Exception>(() => GatewayHost.StartAsync(_provider, new Dictionary<string, string?> { ["Gateway:GatewaySecret"] = string.Empty }));

        Assert.Contains("Gateway:GatewaySecret is missing", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Iap_without_audience_fails_start()
    {
        var error = await Assert.ThrowsAnyAsync<Exception>(() => GatewayHost.StartAsync(_provider, new Dictionary<string, string?> { ["Authentication:Iap:Audiences:0"] = null }));

        Assert.Contains("Authentication:Iap:Audiences is empty", error.Message, StringComparison.Ordinal);
    }
}
