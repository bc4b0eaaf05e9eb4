using System.Net;
using System.Net.Http.Headers;
using System.Security.Cryptography;
using System.Text.Json.Nodes;
using Platform.Gateway.Tests.Fixtures;
using Platform.Testing.Oidc;

namespace Platform.Gateway.Tests;

/// <summary>Rejected and accepted credentials for each of the three authentication methods.</summary>
public sealed class TokenValidationTests : IAsyncLifetime
{
    private const string Path = "u/alice/api/2.0/mlflow/experiments/search";

    private TestOidcProvider _provider = null!;
    private TestUpstream _upstream = null!;
    private GatewayHost _gateway = null!;

    public async Task InitializeAsync()
    {
        _provider = await TestOidcProvider.StartAsync();
        _upstream = await TestUpstream.StartAsync("alice");
        _gateway = await GatewayHost.StartAsync(_provider);
        await _gateway.CreateTenantAsync("alice", "alice@lab.test", _upstream.Address);
    }

    public async Task DisposeAsync()
    {
        await _gateway.DisposeAsync();
        await _upstream.DisposeAsync();
        await _provider.DisposeAsync();
    }

    [Fact]
    public async Task Valid_id_token_accepted()
    {
        var (status, _) = await SendBearerAsync(_provider.CreateIdToken("alice@lab.test"));

        Assert.Equal(HttpStatusCode.OK, status);
    }

    [Fact]
    public async Task Forged_signature_rejected()
    {
        using var attackerKey = RSA.Create(2048);
        var token = _provider.CreateIdToken("alice@lab.test", signingKey: attackerKey, keyId: "rsa-1");

        await AssertUnauthenticatedAsync(token, "signature is invalid");
    }

    [Fact]
    public async Task Alg_none_rejected()
    {
        await AssertUnauthenticatedAsync(_provider.CreateUnsignedIdToken("alice@lab.test"), "algorithm 'none' is not accepted");
    }

    [Fact]
    public async Task Hs256_with_public_key_rejected()
    {
        await AssertUnauthenticatedAsync(_provider.CreateHs256WithPublicKey("alice@lab.test"), "algorithm 'HS256' is not accepted");
    }

    [Fact]
    public async Task Expired_token_rejected()
    {
        var token = _provider.CreateIdToken("alice@lab.test", expires: DateTime.UtcNow.AddMinutes(-10));

        await AssertUnauthenticatedAsync(token, "has expired");
    }

    [Fact]
    public async Task Not_yet_valid_rejected()
    {
        var token = _provider.CreateIdToken("alice@lab.test", notBefore: DateTime.UtcNow.AddMinutes(10), expires: DateTime.UtcNow.AddHours(2));

        await AssertUnauthenticatedAsync(token, "not valid yet");
    }

    [Fact]
    public async Task Wrong_audience_rejected()
    {
        await AssertUnauthenticatedAsync(_provider.CreateIdToken("alice@lab.test", audience: "someone-elses-client"), "audience is not accepted");
    }

    [Fact]
    public async Task Wrong_issuer_rejected()
    {
        await AssertUnauthenticatedAsync(_provider.CreateIdToken("alice@lab.test", issuer: "https://evil.test"), "issuer is not accepted");
    }

    [Fact]
    public async Task Unverified_email_rejected()
    {
        await AssertUnauthenticatedAsync(_provider.CreateIdToken("alice@lab.test", emailVerified: false), "is not verified");
    }

    [Fact]
    public async Task Malformed_token_rejected()
    {
        await AssertUnauthenticatedAsync("not-a-jwt", "not a well-formed JWT");
    }

    [Fact]
    public async Task Rotated_key_fetched_once()
    {
        Assert.Equal(HttpStatusCode.OK, (await SendBearerAsync(_provider.CreateIdToken("alice@lab.test"))).Status);
        var fetchesBefore = _provider.OidcKeySetRequests;

        _provider.RotateOidcKey();
        var (status, body) = await SendBearerAsync(_provider.CreateIdToken("alice@lab.test"));

        Assert.True(status == HttpStatusCode.OK, body);
        Assert.Equal(fetchesBefore + 1, _provider.OidcKeySetRequests);

        // The new key is cached now, so further tokens cause no fetch.
        await SendBearerAsync(_provider.CreateIdToken("alice@lab.test"));
        Assert.Equal(fetchesBefore + 1, _provider.OidcKeySetRequests);
    }

    [Fact]
    public async Task Unknown_kid_refetch_rate_limited()
    {
        await using var provider = await TestOidcProvider.StartAsync();
        await using var gateway = await GatewayHost.StartAsync(provider, new Dictionary<string, string?>
        {
            ["Authentication:KeySets:MinimumRefreshInterval"] = "00:10:00",
        });
        await gateway.CreateTenantAsync("alice", "alice@lab.test", _upstream.Address);
        using (var first = Request(gateway, provider.CreateIdToken("alice@lab.test")))
        {
            Assert.Equal(HttpStatusCode.OK, (await gateway.Client.SendAsync(first)).StatusCode);
        }

        var fetchesBefore = provider.OidcKeySetRequests;
        for (var i = 0; i < 5; i++)
        {
            using var request = Request(gateway, provider.CreateIdToken("alice@lab.test", keyId: $"unknown-{i}"));
            using var response = await gateway.Client.SendAsync(request);
            Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        }

        // The first request fetched the set moments ago, so within the 10 min minimum no unknown kid may trigger another fetch.
        Assert.Equal(fetchesBefore, provider.OidcKeySetRequests);
    }

    [Fact]
    public async Task Hosted_domain_enforced()
    {
        await using var gateway = await GatewayHost.StartAsync(_provider, new Dictionary<string, string?> { ["Authentication:Oidc:HostedDomain"] = "lab.test" });
        await gateway.CreateTenantAsync("alice", "alice@lab.test", _upstream.Address);

        using var outside = Request(gateway, _provider.CreateIdToken("alice@lab.test"));
        using var outsideResponse = await gateway.Client.SendAsync(outside);
        using var inside = Request(gateway, _provider.CreateIdToken("alice@lab.test", hostedDomain: "lab.test"));
        using var insideResponse = await gateway.Client.SendAsync(inside);

        Assert.Equal(HttpStatusCode.Unauthorized, outsideResponse.StatusCode);
        Assert.Contains("hosted domain 'lab.test'", await outsideResponse.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.OK, insideResponse.StatusCode);
    }

    [Fact]
    public async Task Iap_assertion_accepted()
    {
        var (status, body) = await SendIapAsync(_provider.CreateIapAssertion("alice@lab.test"));

        Assert.True(status == HttpStatusCode.OK, body);
        Assert.Equal("alice@lab.test", JsonNode.Parse(body)!["user"]!.GetValue<string>());
    }

    [Fact]
    public async Task Iap_rs256_rejected()
    {
        var (status, body) = await SendIapAsync(_provider.CreateIapAssertionWithRsa("alice@lab.test"));

        Assert.Equal(HttpStatusCode.Unauthorized, status);
        Assert.Contains("algorithm 'RS256' is not accepted", body, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Iap_wrong_audience_rejected()
    {
        var (status, body) = await SendIapAsync(_provider.CreateIapAssertion("alice@lab.test", audience: "/projects/1/global/backendServices/2"));

        Assert.Equal(HttpStatusCode.Unauthorized, status);
        Assert.Contains("audience is not accepted", body, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Iap_expired_rejected()
    {
        var (status, body) = await SendIapAsync(_provider.CreateIapAssertion("alice@lab.test", expires: DateTime.UtcNow.AddMinutes(-5)));

        Assert.Equal(HttpStatusCode.Unauthorized, status);
        Assert.Contains("has expired", body, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Iap_future_iat_rejected()
    {
        var (status, body) = await SendIapAsync(_provider.CreateIapAssertion("alice@lab.test", issuedAt: DateTime.UtcNow.AddMinutes(5)));

        Assert.Equal(HttpStatusCode.Unauthorized, status);
        Assert.Contains("iat is missing or in the future", body, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Iap_skew_tolerated()
    {
        // Expired 20 s ago, inside the 30 s clock skew IAP allows.
        var (status, body) = await SendIapAsync(_provider.CreateIapAssertion("alice@lab.test", expires: DateTime.UtcNow.AddSeconds(-20)));

        Assert.True(status == HttpStatusCode.OK, body);
    }

    [Fact]
    public async Task Revoked_platform_token_rejected()
    {
        var secret = await _gateway.CreateTokenAsync("alice@lab.test");
        Assert.Equal(HttpStatusCode.OK, (await SendBearerAsync(secret)).Status);
        var id = (await _gateway.AdminAsync(HttpMethod.Get, "admin/v1/tokens")).Body!["tokens"]!.AsArray()
            .Single(t => t!["user"]!.GetValue<string>() == "alice@lab.test")!["id"]!.GetValue<string>();

        var (revokeStatus, _) = await _gateway.AdminAsync(HttpMethod.Delete, "admin/v1/tokens/" + id);

        Assert.Equal(200, revokeStatus);
        await AssertUnauthenticatedAsync(secret, "was revoked");
    }

    [Fact]
    public async Task Expired_platform_token_rejected()
    {
        var secret = await _gateway.CreateTokenAsync("alice@lab.test", expiresInSeconds: 1);
        await Task.Delay(TimeSpan.FromSeconds(1.2));

        await AssertUnauthenticatedAsync(secret, "expired at");
    }

    [Fact]
    public async Task Unknown_platform_token_rejected()
    {
        await AssertUnauthenticatedAsync("lpt_" + new string('A', 43), "platform token is unknown");
    }

    [Fact]
    public async Task Platform_token_last_used_recorded()
    {
        var secret = await _gateway.CreateTokenAsync("alice@lab.test", "alice");

        await SendBearerAsync(secret);
        var token = (await _gateway.AdminAsync(HttpMethod.Get, "admin/v1/tokens")).Body!["tokens"]!.AsArray()
            .Single(t => t!["tenant"]?.GetValue<string>() == "alice")!;

        Assert.NotNull(token["last_used_at"]);
    }

    [Fact]
    public async Task Tenant_scoped_token_limited()
    {
        await _gateway.CreateTenantAsync("other", "alice@lab.test", _upstream.Address);
        var secret = await _gateway.CreateTokenAsync("alice@lab.test", "other");

        var (status, body) = await SendBearerAsync(secret);

        Assert.Equal(HttpStatusCode.Forbidden, status);
        Assert.Contains("limited to tenant 'other'", body, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Basic_password_carries_token()
    {
        var secret = await _gateway.CreateTokenAsync("alice@lab.test");
        using var request = new HttpRequestMessage(HttpMethod.Get, Path);
        request.Headers.Authorization = new AuthenticationHeaderValue("Basic", Convert.ToBase64String("alice:"u8.ToArray().Concat(System.Text.Encoding.UTF8.GetBytes(secret)).ToArray()));

        using var response = await _gateway.Client.SendAsync(request);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }

    [Fact]
    public async Task Disabled_platform_tokens_rejected()
    {
        await using var gateway = await GatewayHost.StartAsync(_provider, new Dictionary<string, string?> { ["Authentication:PlatformTokens:Enabled"] = "false" });
        await gateway.CreateTenantAsync("alice", "alice@lab.test", _upstream.Address);
        var secret = await gateway.CreateTokenAsync("alice@lab.test");

        using var request = Request(gateway, secret);
        using var response = await gateway.Client.SendAsync(request);

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.Contains("Platform access tokens are disabled", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Disabled_oidc_rejects_id_token()
    {
        await using var gateway = await GatewayHost.StartAsync(_provider, new Dictionary<string, string?> { ["Authentication:Oidc:Enabled"] = "false" });
        await gateway.CreateTenantAsync("alice", "alice@lab.test", _upstream.Address);

        using var request = Request(gateway, _provider.CreateIdToken("alice@lab.test"));
        using var response = await gateway.Client.SendAsync(request);

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.Contains("OIDC is disabled", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Disabled_iap_ignores_header()
    {
        await using var gateway = await GatewayHost.StartAsync(_provider, new Dictionary<string, string?> { ["Authentication:Iap:Enabled"] = "false" });
        await gateway.CreateTenantAsync("alice", "alice@lab.test", _upstream.Address);

        using var request = new HttpRequestMessage(HttpMethod.Get, Path);
        request.Headers.Add("x-goog-iap-jwt-assertion", _provider.CreateIapAssertion("alice@lab.test"));
        using var response = await gateway.Client.SendAsync(request);

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
    }

    [Fact]
    public async Task Discovery_supplies_key_set()
    {
        await using var gateway = await GatewayHost.StartAsync(_provider, new Dictionary<string, string?>
        {
            ["Authentication:Oidc:JwksUrl"] = string.Empty,
            ["Authentication:Oidc:MetadataAddress"] = _provider.Issuer + "/.well-known/openid-configuration",
        });
        await gateway.CreateTenantAsync("alice", "alice@lab.test", _upstream.Address);

        using var request = Request(gateway, _provider.CreateIdToken("alice@lab.test"));
        using var response = await gateway.Client.SendAsync(request);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }

    [Fact]
    public async Task Health_needs_no_credentials()
    {
        using var response = await _gateway.Client.GetAsync("healthz");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }

    [Fact]
    public async Task Readiness_checks_database()
    {
        using var ready = await _gateway.Client.GetAsync("readyz");

        // Without its file, SQLite opens an empty database, so the query on the tenants table fails.
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        foreach (var file in Directory.GetFiles(_gateway.DataDirectory, "gateway.db*"))
        {
            File.Delete(file);
        }

        using var notReady = await _gateway.Client.GetAsync("readyz");

        Assert.Equal(HttpStatusCode.OK, ready.StatusCode);
        Assert.Equal(HttpStatusCode.ServiceUnavailable, notReady.StatusCode);
    }

    [Fact]
    public async Task Unauthenticated_has_www_authenticate()
    {
        using var response = await _gateway.Client.GetAsync(Path);

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.Equal("Bearer", response.Headers.WwwAuthenticate.Single().Scheme);
        Assert.Contains("Missing credentials", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    private static HttpRequestMessage Request(GatewayHost gateway, string bearer)
    {
        var request = new HttpRequestMessage(HttpMethod.Get, Path);
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", bearer);
        return request;
    }

    private async Task<(HttpStatusCode Status, string Body)> SendBearerAsync(string bearer)
    {
        using var request = Request(_gateway, bearer);
        using var response = await _gateway.Client.SendAsync(request);
        return (response.StatusCode, await response.Content.ReadAsStringAsync());
    }

    private async Task<(HttpStatusCode Status, string Body)> SendIapAsync(string assertion)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, Path);
        request.Headers.Add("x-goog-iap-jwt-assertion", assertion);
        using var response = await _gateway.Client.SendAsync(request);
        return (response.StatusCode, await response.Content.ReadAsStringAsync());
    }

    private async Task AssertUnauthenticatedAsync(string bearer, string expectedReason)
    {
        var (status, body) = await SendBearerAsync(bearer);

        Assert.Equal(HttpStatusCode.Unauthorized, status);
        var error = JsonNode.Parse(body)!;
        Assert.Equal("UNAUTHENTICATED", error["error_code"]!.GetValue<string>());
        Assert.Contains(expectedReason, error["message"]!.GetValue<string>(), StringComparison.Ordinal);
    }
}
