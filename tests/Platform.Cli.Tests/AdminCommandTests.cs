using Platform.Cli.Tests.Fixtures;
using Platform.Gateway.Tests.Fixtures;
using Platform.Testing.Oidc;

namespace Platform.Cli.Tests;

/// <summary><c>labctl tenant</c>, <c>token</c> and <c>env</c> against a real gateway on 127.0.0.1.</summary>
public sealed class AdminCommandTests : IAsyncLifetime, IDisposable
{
    private readonly CliRun _cli = new();
    private TestOidcProvider _provider = null!;
    private GatewayHost _gateway = null!;

    public async Task InitializeAsync()
    {
        _provider = await TestOidcProvider.StartAsync();
        _gateway = await GatewayHost.StartAsync(_provider);
        _cli.Variables["LABCTL_GATEWAY"] = _gateway.Address;
        _cli.Variables["LABPLATFORM_DATA_DIR"] = _gateway.DataDirectory;
    }

    public async Task DisposeAsync()
    {
        await _gateway.DisposeAsync();
        await _provider.DisposeAsync();
    }

    public void Dispose() => _cli.Dispose();

    [Fact]
    public async Task Tenant_create_list_delete()
    {
        var created = await _cli.RunAsync("tenant", "create", "alice", "--owner", "alice@lab.test", "--collaborator", "carol@lab.test", "--collaborator", "dan@lab.test");
        var listed = await _cli.RunAsync("tenant", "list");
        var deleted = await _cli.RunAsync("tenant", "delete", "alice");
        var after = await _cli.RunAsync("tenant", "list");

        Assert.True(created.ExitCode == 0, created.Error);
        Assert.Contains("Created tenant alice (owner alice@lab.test", created.Out, StringComparison.Ordinal);
        Assert.Equal(0, listed.ExitCode);
        Assert.Contains("alice", listed.Out, StringComparison.Ordinal);
        Assert.Contains("carol@lab.test,dan@lab.test", listed.Out, StringComparison.Ordinal);
        Assert.Equal(0, deleted.ExitCode);
        Assert.DoesNotContain("alice@lab.test", after.Out, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Invalid_tenant_name_exit_2()
    {
        var (exitCode, _, error) = await _cli.RunAsync("tenant", "create", "Alice", "--owner", "alice@lab.test");

        Assert.Equal(2, exitCode);
        Assert.Contains("Invalid tenant name 'Alice'", error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Duplicate_tenant_exit_4()
    {
        await _cli.RunAsync("tenant", "create", "alice", "--owner", "alice@lab.test");

        var (exitCode, _, error) = await _cli.RunAsync("tenant", "create", "alice", "--owner", "bob@lab.test");

        Assert.Equal(4, exitCode);
        Assert.Contains("409 RESOURCE_ALREADY_EXISTS: Tenant 'alice' already exists.", error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Delete_unknown_tenant_exit_4()
    {
        var (exitCode, _, error) = await _cli.RunAsync("tenant", "delete", "ghost");

        Assert.Equal(4, exitCode);
        Assert.Contains("Tenant 'ghost' does not exist.", error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Missing_owner_exit_2()
    {
        var (exitCode, _, error) = await _cli.RunAsync("tenant", "create", "alice");

        Assert.Equal(2, exitCode);
        Assert.Contains("--owner", error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Token_create_list_revoke()
    {
        await _cli.RunAsync("tenant", "create", "alice", "--owner", "alice@lab.test");

        var created = await _cli.RunAsync("token", "create", "--user", "alice@lab.test", "--tenant", "alice", "--expires-in", "30d", "--description", "laptop");
        var secret = created.Out.Trim();
        var listed = await _cli.RunAsync("token", "list");
        var id = listed.Out.Split('\n').Single(line => line.StartsWith("tok_", StringComparison.Ordinal)).Split(' ')[0];
        var revoked = await _cli.RunAsync("token", "revoke", id);
        var afterRevoke = await _cli.RunAsync("token", "list");

        Assert.True(created.ExitCode == 0, created.Error);
        Assert.StartsWith("lpt_", secret, StringComparison.Ordinal);
        Assert.Contains("it is not shown again", created.Error, StringComparison.Ordinal);
        Assert.Contains("(tenant alice)", created.Error, StringComparison.Ordinal);
        Assert.DoesNotContain(secret, listed.Out, StringComparison.Ordinal);
        Assert.Contains("active", listed.Out, StringComparison.Ordinal);
        Assert.Equal(0, revoked.ExitCode);
        Assert.Contains("revoked", afterRevoke.Out, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("30x")]
    [InlineData("d")]
    [InlineData("-5d")]
    [InlineData("0h")]
    public async Task Invalid_expiry_exit_2(string value)
    {
        var (exitCode, _, error) = await _cli.RunAsync("token", "create", "--user", "alice@lab.test", "--expires-in", value);

        Assert.Equal(2, exitCode);
        Assert.Contains($"Invalid --expires-in '{value}'", error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Revoke_unknown_token_exit_4()
    {
        var (exitCode, _, error) = await _cli.RunAsync("token", "revoke", "tok_missing");

        Assert.Equal(4, exitCode);
        Assert.Contains("Token 'tok_missing' does not exist", error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Missing_admin_token_exit_3()
    {
        _cli.Variables["LABPLATFORM_DATA_DIR"] = Path.Combine(_cli.Home, "empty");

        var (exitCode, _, error) = await _cli.RunAsync("tenant", "list");

        Assert.Equal(3, exitCode);
        Assert.Contains("No admin token", error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Wrong_admin_token_exit_3()
    {
        var (exitCode, _, error) = await _cli.RunAsync("tenant", "list", "--admin-token", "lpa_wrong");

        Assert.Equal(3, exitCode);
        Assert.Contains("401 UNAUTHENTICATED: The admin token is invalid.", error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Unreachable_gateway_exit_5()
    {
        using var reserved = CliRun.ReserveClosedPort();
        var address = $"http://127.0.0.1:{((System.Net.IPEndPoint)reserved.LocalEndPoint!).Port}";

        var (exitCode, _, error) = await _cli.RunAsync("tenant", "list", "--gateway", address);

        Assert.Equal(5, exitCode);
        Assert.Contains($"Cannot reach the gateway at {address}/", error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Invalid_gateway_url_exit_2()
    {
        var (exitCode, _, error) = await _cli.RunAsync("tenant", "list", "--gateway", "not a url");

        Assert.Equal(2, exitCode);
        Assert.Contains("Invalid --gateway 'not a url'", error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Env_prints_exports()
    {
        var (exitCode, output, _) = await _cli.RunAsync("env", "alice", "--token", "lpt_abc'def");

        Assert.Equal(0, exitCode);
        Assert.Equal(
            [$"export MLFLOW_TRACKING_URI='{_gateway.Address}/u/alice'", "export MLFLOW_TRACKING_TOKEN='lpt_abc'\\''def'"],
            output.Split('\n', StringSplitOptions.RemoveEmptyEntries));
    }

    [Fact]
    public async Task Env_default_gateway_url()
    {
        _cli.Variables.Remove("LABCTL_GATEWAY");

        var (_, output, _) = await _cli.RunAsync("env", "alice", "--token", "lpt_x");

        Assert.Contains("export MLFLOW_TRACKING_URI='http://127.0.0.1:8080/u/alice'", output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Env_rejects_invalid_tenant()
    {
        var (exitCode, _, error) = await _cli.RunAsync("env", "Alice", "--token", "lpt_x");

        Assert.Equal(2, exitCode);
        Assert.Contains("Invalid tenant name 'Alice'", error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Env_without_login_exit_3()
    {
        var (exitCode, _, error) = await _cli.RunAsync("env", "alice");

        Assert.Equal(3, exitCode);
        Assert.Contains("Not logged in", error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Help_lists_commands()
    {
        var (exitCode, output, _) = await _cli.RunAsync("--help");

        Assert.Equal(0, exitCode);
        foreach (var command in new[] { "tenant", "token", "env", "login" })
        {
            Assert.Contains(command, output, StringComparison.Ordinal);
        }
    }

    [Fact]
    public async Task Unknown_command_exit_2()
    {
        var (exitCode, _, error) = await _cli.RunAsync("tenants");

        Assert.Equal(2, exitCode);
        Assert.False(string.IsNullOrWhiteSpace(error));
    }
}
