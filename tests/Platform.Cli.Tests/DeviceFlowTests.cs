using System.Text.Json.Nodes;
using Platform.Cli.Tests.Fixtures;
using Platform.Testing.Oidc;

namespace Platform.Cli.Tests;

/// <summary><c>labctl login</c> and <c>labctl token print</c> against a device-flow provider on 127.0.0.1.</summary>
[System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
public sealed class DeviceFlowTests : IAsyncLifetime, IDisposable
{
    private readonly CliRun _cli = new();
    private TestOidcProvider _provider = null!;

    public async Task InitializeAsync() => _provider = await TestOidcProvider.StartAsync();

    public async Task DisposeAsync() => await _provider.DisposeAsync();

    public void Dispose() => _cli.Dispose();

    [Fact]
    public async Task Login_polls_until_approved()
    {
        var idToken = _provider.CreateIdToken("ada@lab.test");
        _provider.DeviceTokenResponses.Enqueue((400, new { error = "authorization_pending" }));
        _provider.DeviceTokenResponses.Enqueue((400, new { error = "slow_down" }));
        _provider.DeviceTokenResponses.Enqueue((200, new { id_token = idToken, refresh_token = "refresh-1", token_type = "Bearer", expires_in = 3600 }));

        var (exitCode, _, error) = await LoginAsync();

        Assert.True(exitCode == 0, error);
        Assert.Contains("enter the code ABCD-EFGH", error, StringComparison.Ordinal);
        Assert.Equal([TimeSpan.FromSeconds(5), TimeSpan.FromSeconds(5), TimeSpan.FromSeconds(10)], _cli.Delays);
        var stored = JsonNode.Parse(await File.ReadAllTextAsync(_cli.CredentialsPath))!;
        Assert.Equal("refresh-1", stored["refresh_token"]!.GetValue<string>());
        Assert.Equal(idToken, stored["id_token"]!.GetValue<string>());
        var polls = _provider.TokenRequests.ToArray();
        Assert.All(polls, p => Assert.Equal("urn:ietf:params:oauth:grant-type:device_code", p["grant_type"]));
        Assert.All(polls, p => Assert.Equal("device-code-1", p["device_code"]));
        Assert.All(polls, p => Assert.Equal("test-secret", p["client_secret"]));
    }

    [Fact]
    public async Task Credentials_file_mode_0600()
    {
        _provider.DeviceTokenResponses.Enqueue((200, new { id_token = _provider.CreateIdToken("ada@lab.test"), refresh_token = "refresh-1" }));

        var (exitCode, _, error) = await LoginAsync();

        Assert.True(exitCode == 0, error);
        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(_cli.CredentialsPath));
        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute, File.GetUnixFileMode(Path.GetDirectoryName(_cli.CredentialsPath)!));
    }

    [Fact]
    public async Task Access_denied_stops_login()
    {
        _provider.DeviceTokenResponses.Enqueue((400, new { error = "access_denied" }));

        var (exitCode, _, error) = await LoginAsync();

        Assert.Equal(3, exitCode);
        Assert.Contains("Sign-in was denied in the browser", error, StringComparison.Ordinal);
        Assert.False(File.Exists(_cli.CredentialsPath));
    }

    [Fact]
    public async Task Expired_token_stops_login()
    {
        _provider.DeviceTokenResponses.Enqueue((400, new { error = "authorization_pending" }));
        _provider.DeviceTokenResponses.Enqueue((400, new { error = "expired_token" }));

        var (exitCode, _, error) = await LoginAsync();

        Assert.Equal(1, exitCode);
        Assert.Contains("The sign-in code expired", error, StringComparison.Ordinal);
        Assert.False(File.Exists(_cli.CredentialsPath));
    }

    [Fact]
    public async Task Unexpected_error_reported()
    {
        _provider.DeviceTokenResponses.Enqueue((401, new { error = "invalid_client", error_description = "The OAuth client was not found." }));

        var (exitCode, _, error) = await LoginAsync();

        Assert.Equal(1, exitCode);
        Assert.Contains("error 'invalid_client' (The OAuth client was not found.)", error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Missing_client_id_rejected()
    {
        var (exitCode, _, error) = await _cli.RunAsync("login", "--issuer", _provider.Issuer);

        Assert.Equal(2, exitCode);
        Assert.Contains("Missing OAuth client ID", error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Unreachable_issuer_reported()
    {
        using var reserved = CliRun.ReserveClosedPort();
        var issuer = $"http://127.0.0.1:{((System.Net.IPEndPoint)reserved.LocalEndPoint!).Port}";

        var (exitCode, _, error) = await _cli.RunAsync("login", "--issuer", issuer, "--client-id", TestOidcProvider.ClientId);

        Assert.Equal(5, exitCode);
        Assert.Contains($"Cannot read the discovery document '{issuer}/.well-known/openid-configuration'", error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Token_print_keeps_fresh_token()
    {
        var idToken = _provider.CreateIdToken("ada@lab.test", expires: DateTime.UtcNow.AddMinutes(30));
        _provider.DeviceTokenResponses.Enqueue((200, new { id_token = idToken, refresh_token = "refresh-1" }));
        await LoginAsync();
        var requestsAfterLogin = _provider.TokenRequests.Count;

        var (exitCode, output, _) = await _cli.RunAsync("token", "print");

        Assert.Equal(0, exitCode);
        Assert.Equal(idToken, output.Trim());
        Assert.Equal(requestsAfterLogin, _provider.TokenRequests.Count);
    }

    [Fact]
    public async Task Token_print_refreshes_near_expiry()
    {
        _provider.DeviceTokenResponses.Enqueue((200, new { id_token = _provider.CreateIdToken("ada@lab.test", expires: DateTime.UtcNow.AddMinutes(2)), refresh_token = "refresh-1" }));
        await LoginAsync();
        var refreshed = _provider.CreateIdToken("ada@lab.test", expires: DateTime.UtcNow.AddHours(1));
        _provider.RefreshedIdToken = () => refreshed;

        var (exitCode, output, error) = await _cli.RunAsync("token", "print");

        Assert.True(exitCode == 0, error);
        Assert.Equal(refreshed, output.Trim());
        var refresh = _provider.TokenRequests.Last();
        Assert.Equal("refresh_token", refresh["grant_type"]);
        Assert.Equal("refresh-1", refresh["refresh_token"]);
        var stored = JsonNode.Parse(await File.ReadAllTextAsync(_cli.CredentialsPath))!;
        Assert.Equal(refreshed, stored["id_token"]!.GetValue<string>());
        Assert.Equal("refresh-1", stored["refresh_token"]!.GetValue<string>());
        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(_cli.CredentialsPath));
    }

    [Fact]
    public async Task Failed_refresh_reported()
    {
        _provider.DeviceTokenResponses.Enqueue((200, new { id_token = _provider.CreateIdToken("ada@lab.test", expires: DateTime.UtcNow.AddMinutes(-1)), refresh_token = "refresh-1" }));
        await LoginAsync();

        var (exitCode, _, error) = await _cli.RunAsync("token", "print");

        Assert.Equal(3, exitCode);
        Assert.Contains("Refreshing the ID token failed: HTTP 400, error 'invalid_grant'", error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Token_print_needs_login()
    {
        var (exitCode, _, error) = await _cli.RunAsync("token", "print");

        Assert.Equal(3, exitCode);
        Assert.Contains("Not logged in", error, StringComparison.Ordinal);
        Assert.Contains("labctl login", error, StringComparison.Ordinal);
    }

    private Task<(int ExitCode, string Out, string Error)> LoginAsync() =>
        _cli.RunAsync("login", "--issuer", _provider.Issuer, "--client-id", TestOidcProvider.ClientId, "--client-secret", "test-secret");
}
