using System.Diagnostics;
using System.Net;
using System.Net.Http.Headers;
using System.Text.Json.Nodes;
using Platform.Gateway.Tests.Fixtures;
using Platform.Testing.Oidc;

namespace Platform.Gateway.Tests;

/// <summary>Route changes at run time, unknown and deleted tenants, and the identity headers sent upstream.</summary>
public sealed class RoutingTests : IAsyncLifetime
{
    private TestOidcProvider _provider = null!;
    private TestUpstream _upstream = null!;
    private GatewayHost _gateway = null!;
    private string _token = null!;

    public async Task InitializeAsync()
    {
        _provider = await TestOidcProvider.StartAsync();
        _upstream = await TestUpstream.StartAsync("dave");
        _gateway = await GatewayHost.StartAsync(_provider);
        _token = await _gateway.CreateTokenAsync("dave@lab.test");
    }

    public async Task DisposeAsync()
    {
        await _gateway.DisposeAsync();
        await _upstream.DisposeAsync();
        await _provider.DisposeAsync();
    }

    [Fact]
    public async Task New_tenant_serves_within_one_second()
    {
        await _gateway.CreateTenantAsync("dave", "dave@lab.test", _upstream.Address);
        var stopwatch = Stopwatch.StartNew();

        HttpStatusCode status;
        do
        {
            status = (await SendAsync("u/dave/api/2.0/mlflow/experiments/search")).Status;
        }
        while (status != HttpStatusCode.OK && stopwatch.Elapsed < TimeSpan.FromSeconds(5));

        Assert.Equal(HttpStatusCode.OK, status);
        Assert.True(stopwatch.Elapsed < TimeSpan.FromSeconds(1), $"The route served {stopwatch.ElapsedMilliseconds} ms after the create call returned.");
    }

    [Fact]
    public async Task Deleted_tenant_returns_404_json()
    {
        await _gateway.CreateTenantAsync("dave", "dave@lab.test", _upstream.Address);
        Assert.Equal(HttpStatusCode.OK, (await SendAsync("u/dave/api/2.0/mlflow/experiments/search")).Status);

        var (deleteStatus, _) = await _gateway.AdminAsync(HttpMethod.Delete, "admin/v1/tenants/dave");
        var (status, body) = await SendAsync("u/dave/api/2.0/mlflow/experiments/search");

        Assert.Equal(200, deleteStatus);
        Assert.Equal(HttpStatusCode.NotFound, status);
        Assert.Equal("RESOURCE_DOES_NOT_EXIST", JsonNode.Parse(body)!["error_code"]!.GetValue<string>());
        Assert.Contains("Tenant 'dave' does not exist.", body, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Unknown_tenant_returns_404_json()
    {
        var (status, body) = await SendAsync("u/nobody/api/2.0/mlflow/experiments/search");

        Assert.Equal(HttpStatusCode.NotFound, status);
        Assert.Equal("RESOURCE_DOES_NOT_EXIST", JsonNode.Parse(body)!["error_code"]!.GetValue<string>());
    }

    [Fact]
    public async Task Unknown_path_requires_credentials()
    {
        using var response = await _gateway.Client.GetAsync("somewhere/else");

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.Equal("application/json", response.Content.Headers.ContentType?.MediaType);
    }

    [Theory]
    [InlineData("somewhere/else", "/somewhere/else")]
    [InlineData("api/2.0/mlflow/experiments/search?max_results=1", "/api/2.0/mlflow/experiments/search")]
    [InlineData("u", "/u")]
    [InlineData("", "/")]
    [InlineData("admin/v1/nothing", "/admin/v1/nothing")]
    public async Task Unknown_path_returns_404_json(string path, string expectedPath)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, path);
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", _token);

        using var response = await _gateway.Client.SendAsync(request);
        var body = JsonNode.Parse(await response.Content.ReadAsStringAsync());
        var message = body!["message"]!.GetValue<string>();

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.Equal("application/json", response.Content.Headers.ContentType?.MediaType);
        Assert.Equal("ENDPOINT_NOT_FOUND", body["error_code"]!.GetValue<string>());
        Assert.StartsWith($"Path '{expectedPath}' not found on the gateway.", message, StringComparison.Ordinal);
        Assert.Contains("/u/<tenant>/", message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Unknown_admin_path_404_json_for_admin()
    {
        var (status, body) = await _gateway.AdminAsync(HttpMethod.Post, "admin/v1/nothing", new { });

        Assert.Equal(404, status);
        Assert.Equal("ENDPOINT_NOT_FOUND", body!["error_code"]!.GetValue<string>());
    }

    [Fact]
    public async Task Wrong_method_keeps_405()
    {
        var (status, _) = await _gateway.AdminAsync(HttpMethod.Put, "admin/v1/tenants", new { });

        Assert.Equal(405, status);
    }

    [Fact]
    public async Task Upstream_empty_404_passes_through()
    {
        await _gateway.CreateTenantAsync("dave", "dave@lab.test", _upstream.Address);

        // The test upstream maps no endpoint at this path, so it returns an empty 404 of its own.
        var (status, body) = await SendAsync("u/dave/not-an-endpoint");

        Assert.Equal(HttpStatusCode.NotFound, status);
        Assert.Equal(string.Empty, body);
    }

    [Fact]
    public async Task Client_identity_headers_replaced()
    {
        await _gateway.CreateTenantAsync("dave", "dave@lab.test", _upstream.Address);
        using var request = new HttpRequestMessage(HttpMethod.Get, "u/dave/api/2.0/mlflow/experiments/search");
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", _token);
        request.Headers.Add("X-LabPlatform-User", "admin@lab.test");
        request.Headers.Add("X-LabPlatform-Gateway-Secret", "guessed-secret");
        request.Headers.Add("x-labplatform-role", "admin");
        request.Headers.Add("x-goog-authenticated-user-email", "accounts.google.com:admin@lab.test");
        request.Headers.Add("x-goog-authenticated-user-id", "accounts.google.com:1");
        request.Headers.Add("Proxy-Authorization", "Bearer something");
        request.Headers.Add("X-Custom", "kept");

        using var response = await _gateway.Client.SendAsync(request);
        var headers = _upstream.ReceivedHeaders.Last();

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("dave@lab.test", headers["X-LabPlatform-User"]);
        Assert.Equal(GatewayHost.Secret, headers["X-LabPlatform-Gateway-Secret"]);
        Assert.False(headers.ContainsKey("x-labplatform-role"));
        Assert.False(headers.ContainsKey("x-goog-authenticated-user-email"));
        Assert.False(headers.ContainsKey("x-goog-authenticated-user-id"));
        Assert.False(headers.ContainsKey("Authorization"));
        Assert.False(headers.ContainsKey("Proxy-Authorization"));
        Assert.Equal("kept", headers["X-Custom"]);
    }

    [Fact]
    public async Task Iap_assertion_not_forwarded()
    {
        await _gateway.CreateTenantAsync("dave", "dave@lab.test", _upstream.Address);
        using var request = new HttpRequestMessage(HttpMethod.Get, "u/dave/api/2.0/mlflow/experiments/search");
        request.Headers.Add("x-goog-iap-jwt-assertion", _provider.CreateIapAssertion("dave@lab.test"));

        using var response = await _gateway.Client.SendAsync(request);
        var headers = _upstream.ReceivedHeaders.Last();

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.False(headers.ContainsKey("x-goog-iap-jwt-assertion"));
        Assert.Equal("dave@lab.test", headers["X-LabPlatform-User"]);
    }

    [Fact]
    public async Task Prefix_removed_before_forwarding()
    {
        await _gateway.CreateTenantAsync("dave", "dave@lab.test", _upstream.Address);

        var (status, body) = await SendAsync("u/dave/api/2.0/mlflow/runs/get?run_id=abc");

        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Equal("/api/2.0/mlflow/runs/get", JsonNode.Parse(body)!["path"]!.GetValue<string>());
    }

    [Fact]
    public async Task Unreachable_destination_returns_502()
    {
        // A bound socket that never listens keeps the port reserved and refuses connections.
        using var reserved = new System.Net.Sockets.Socket(System.Net.Sockets.SocketType.Stream, System.Net.Sockets.ProtocolType.Tcp);
        reserved.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        var closedPort = ((IPEndPoint)reserved.LocalEndPoint!).Port;
        await _gateway.CreateTenantAsync("dave", "dave@lab.test", $"http://127.0.0.1:{closedPort}");

        var (status, _) = await SendAsync("u/dave/api/2.0/mlflow/experiments/search");

        Assert.True(status is HttpStatusCode.BadGateway or HttpStatusCode.ServiceUnavailable, $"Got {(int)status}.");
    }

    private async Task<(HttpStatusCode Status, string Body)> SendAsync(string path)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, path);
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", _token);
        using var response = await _gateway.Client.SendAsync(request);
        return (response.StatusCode, await response.Content.ReadAsStringAsync());
    }
}
