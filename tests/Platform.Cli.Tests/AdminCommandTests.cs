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
    public async Task Tenant_update_changes_collaborators()
    {
        await _cli.RunAsync("tenant", "create", "alice", "--owner", "alice@lab.test", "--collaborator", "carol@lab.test");

        var updated = await _cli.RunAsync(
            "tenant", "update", "alice", "--add-collaborator", "dan@lab.test", "--add-collaborator", "erin@lab.test", "--remove-collaborator", "carol@lab.test");
        var listed = await _cli.RunAsync("tenant", "list");

        Assert.True(updated.ExitCode == 0, updated.Error);
        Assert.Equal("Updated tenant alice; collaborators: dan@lab.test,erin@lab.test.", updated.Out.Trim());
        Assert.Contains("dan@lab.test,erin@lab.test", listed.Out, StringComparison.Ordinal);
        Assert.DoesNotContain("carol@lab.test", listed.Out, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Tenant_update_remove_last_collaborator()
    {
        await _cli.RunAsync("tenant", "create", "alice", "--owner", "alice@lab.test", "--collaborator", "carol@lab.test");

        var (exitCode, output, error) = await _cli.RunAsync("tenant", "update", "alice", "--remove-collaborator", "carol@lab.test");

        Assert.True(exitCode == 0, error);
        Assert.Equal("Updated tenant alice; collaborators: none.", output.Trim());
    }

    [Fact]
    public async Task Tenant_update_unknown_tenant_exit_4()
    {
        var (exitCode, _, error) = await _cli.RunAsync("tenant", "update", "ghost", "--add-collaborator", "dan@lab.test");

        Assert.Equal(4, exitCode);
        Assert.Contains("404 RESOURCE_DOES_NOT_EXIST: Tenant 'ghost' does not exist.", error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Tenant_update_invalid_email_exit_2()
    {
        await _cli.RunAsync("tenant", "create", "alice", "--owner", "alice@lab.test");

        var (exitCode, _, error) = await _cli.RunAsync("tenant", "update", "alice", "--add-collaborator", "dan-at-lab.test");

        Assert.Equal(2, exitCode);
        Assert.Contains("Invalid collaborator 'dan-at-lab.test' in add_collaborators", error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Tenant_update_non_collaborator_exit_2()
    {
        await _cli.RunAsync("tenant", "create", "alice", "--owner", "alice@lab.test", "--collaborator", "carol@lab.test");

        var (exitCode, _, error) = await _cli.RunAsync(
            "tenant", "update", "alice", "--add-collaborator", "dan@lab.test", "--remove-collaborator", "mallory@lab.test");
        var listed = await _cli.RunAsync("tenant", "list");

        Assert.Equal(2, exitCode);
        Assert.Contains("'mallory@lab.test' is not a collaborator of tenant 'alice'.", error, StringComparison.Ordinal);
        Assert.Contains("Nothing was changed.", error, StringComparison.Ordinal);
        Assert.DoesNotContain("dan@lab.test", listed.Out, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Tenant_update_without_changes_exit_2()
    {
        var (exitCode, _, error) = await _cli.RunAsync("tenant", "update", "alice");

        Assert.Equal(2, exitCode);
        Assert.Contains("Nothing to update: pass --add-collaborator EMAIL or --remove-collaborator EMAIL", error, StringComparison.Ordinal);
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

    [Fact]
    public async Task Token_list_columns_align()
    {
        await _cli.RunAsync("tenant", "create", "alice", "--owner", "alice@lab.test");
        await _cli.RunAsync("token", "create", "--user", "alice@lab.test", "--tenant", "alice", "--expires-in", "30d");
        await _cli.RunAsync("token", "create", "--user", "a-much-longer-address.for-alignment@lab.test");

        var (exitCode, output, error) = await _cli.RunAsync("token", "list");
        var lines = output.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        var header = lines[0];

        Assert.True(exitCode == 0, error);
        Assert.Equal(3, lines.Length);
        foreach (var column in new[] { "USER", "TENANT", "STATE", "EXPIRES", "LAST USED" })
        {
            var start = header.IndexOf(column, StringComparison.Ordinal);
            foreach (var line in lines.Skip(1))
            {
                Assert.True(line[start - 1] == ' ', $"Column {column} overlaps the previous column at {start} in '{line}' (header '{header}').");
                Assert.True(line[start] != ' ', $"Column {column} does not start at {start} in '{line}' (header '{header}').");
            }
        }
    }

    [Fact]
    public async Task Tenant_delete_one_token_singular()
    {
        await _cli.RunAsync("tenant", "create", "carol", "--owner", "carol@lab.test");
        await _cli.RunAsync("token", "create", "--user", "carol@lab.test", "--tenant", "carol");

        var (exitCode, output, error) = await _cli.RunAsync("tenant", "delete", "carol");

        Assert.True(exitCode == 0, error);
        Assert.Equal("Deleted tenant carol; revoked 1 token.", output.Trim());
    }

    [Fact]
    public async Task Tenant_delete_no_tokens_plural()
    {
        await _cli.RunAsync("tenant", "create", "carol", "--owner", "carol@lab.test");

        var (exitCode, output, error) = await _cli.RunAsync("tenant", "delete", "carol");

        Assert.True(exitCode == 0, error);
        Assert.Equal("Deleted tenant carol; revoked 0 tokens.", output.Trim());
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
        Assert.Contains("rejected the admin token (from --admin-token or LABCTL_ADMIN_TOKEN)", error, StringComparison.Ordinal);
        Assert.Contains("401 UNAUTHENTICATED: The admin token is invalid.", error, StringComparison.Ordinal);
        Assert.Contains("<data-dir>/admin-token", error, StringComparison.Ordinal);
        Assert.Contains(".labplatform/admin-token", error, StringComparison.Ordinal);
        Assert.Contains("--data-dir", error, StringComparison.Ordinal);
        Assert.Contains("--admin-token", error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Wrong_admin_token_file_named()
    {
        var dataDirectory = Path.Combine(_cli.Home, "other-platform");
        Directory.CreateDirectory(dataDirectory);
        await File.WriteAllTextAsync(Path.Combine(dataDirectory, "admin-token"), "lpa_other");
        _cli.Variables["LABPLATFORM_DATA_DIR"] = dataDirectory;

        var (exitCode, _, error) = await _cli.RunAsync("tenant", "list");

        Assert.Equal(3, exitCode);
        Assert.Contains($"rejected the admin token (read from '{Path.Combine(dataDirectory, "admin-token")}')", error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Default_data_dir_is_make_run_folder()
    {
        var makeRunDirectory = Path.Combine(_cli.Home, "repository", ".labplatform");
        Directory.CreateDirectory(makeRunDirectory);
        File.Copy(Path.Combine(_gateway.DataDirectory, "admin-token"), Path.Combine(makeRunDirectory, "admin-token"));
        _cli.Variables.Remove("LABPLATFORM_DATA_DIR");
        _cli.CurrentDirectory = Path.Combine(_cli.Home, "repository");

        var (exitCode, _, error) = await _cli.RunAsync("tenant", "list");

        Assert.True(exitCode == 0, error);
    }

    [Fact]
    public async Task Default_data_dir_without_make_run_folder()
    {
        _cli.Variables.Remove("LABPLATFORM_DATA_DIR");

        var (exitCode, _, error) = await _cli.RunAsync("tenant", "list");

        Assert.Equal(3, exitCode);
        Assert.Contains($"'{Path.Combine(_cli.Home, "data", "labplatform", "admin-token")}' could not be read", error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Unreachable_gateway_exit_5()
    {
        using var reserved = CliRun.ReserveClosedPort();
        var address = $"http://127.0.0.1:{((System.Net.IPEndPoint)reserved.LocalEndPoint!).Port}";

        var (exitCode, _, error) = await _cli.RunAsync("tenant", "list", "--gateway", address);

        Assert.Equal(5, exitCode);
        Assert.Contains($"Cannot reach the gateway at {address}/", error, StringComparison.Ordinal);
        Assert.Contains("'make run'", error, StringComparison.Ordinal);
        Assert.Contains("--gateway", error, StringComparison.Ordinal);
        Assert.DoesNotContain("dotnet run", error, StringComparison.Ordinal);
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
        await using var upstream = await TestUpstream.StartAsync("alice");
        await _gateway.CreateTenantAsync("alice", "alice@lab.test", upstream.Address);
        var token = await _gateway.CreateTokenAsync("alice@lab.test", "alice");

        var (exitCode, output, error) = await _cli.RunAsync("env", "alice", "--token", token);

        Assert.True(exitCode == 0, error);
        Assert.Equal(
            [$"export MLFLOW_TRACKING_URI='{_gateway.Address}/u/alice'", $"export MLFLOW_TRACKING_TOKEN='{token}'"],
            output.Split('\n', StringSplitOptions.RemoveEmptyEntries));
        Assert.Equal(string.Empty, error);
    }

    [Fact]
    public void Env_shell_quotes_values()
    {
        Assert.Equal("'lpt_abc'\\''def'", Platform.Cli.Commands.EnvCommand.ShellQuote("lpt_abc'def"));
        Assert.Equal("'$HOME `id` \"x\"'", Platform.Cli.Commands.EnvCommand.ShellQuote("$HOME `id` \"x\""));
    }

    [Fact]
    public void Default_gateway_url()
    {
        var global = new Platform.Cli.Commands.GlobalOptions();
        var root = new System.CommandLine.RootCommand();
        global.AddTo(root);
        _cli.Variables.Remove("LABCTL_GATEWAY");

        var settings = global.Resolve(root.Parse([]), _cli.CreateEnvironment(TextWriter.Null, TextWriter.Null));

        Assert.Equal("http://127.0.0.1:8080/", settings.GatewayUrl.AbsoluteUri);
    }

    [Fact]
    public async Task Env_unknown_tenant_exit_4()
    {
        var token = await _gateway.CreateTokenAsync("alice@lab.test");

        var (exitCode, output, error) = await _cli.RunAsync("env", "ghost", "--token", token);

        Assert.Equal(4, exitCode);
        Assert.Equal(string.Empty, output);
        Assert.Contains($"Tenant 'ghost' does not exist on the gateway at {_gateway.Address}/.", error, StringComparison.Ordinal);
        Assert.Contains("'labctl tenant list' shows the tenants.", error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Env_rejected_token_exit_3()
    {
        await _gateway.CreateTenantAsync("alice", "alice@lab.test", "http://127.0.0.1:1");

        var (exitCode, output, error) = await _cli.RunAsync("env", "alice", "--token", "lpt_wrong");

        Assert.Equal(3, exitCode);
        Assert.Equal(string.Empty, output);
        Assert.Contains("rejected the token for tenant 'alice': 401 UNAUTHENTICATED", error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Env_non_member_exit_3()
    {
        await _gateway.CreateTenantAsync("alice", "alice@lab.test", "http://127.0.0.1:1");
        var token = await _gateway.CreateTokenAsync("mallory@lab.test");

        var (exitCode, output, error) = await _cli.RunAsync("env", "alice", "--token", token);

        Assert.Equal(3, exitCode);
        Assert.Equal(string.Empty, output);
        Assert.Contains("403 PERMISSION_DENIED: User 'mallory@lab.test' is not the owner or a collaborator of tenant 'alice'.", error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Env_server_down_exit_5()
    {
        using var reserved = CliRun.ReserveClosedPort();
        var closedAddress = $"http://127.0.0.1:{((System.Net.IPEndPoint)reserved.LocalEndPoint!).Port}";
        await _gateway.CreateTenantAsync("alice", "alice@lab.test", closedAddress);
        var token = await _gateway.CreateTokenAsync("alice@lab.test");

        var (exitCode, output, error) = await _cli.RunAsync("env", "alice", "--token", token);

        Assert.Equal(5, exitCode);
        Assert.Equal(string.Empty, output);
        Assert.Contains("either the gateway could not reach the tracking server of tenant 'alice'", error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Env_unreachable_gateway_exit_5()
    {
        using var reserved = CliRun.ReserveClosedPort();
        var address = $"http://127.0.0.1:{((System.Net.IPEndPoint)reserved.LocalEndPoint!).Port}";

        var (exitCode, output, error) = await _cli.RunAsync("env", "alice", "--token", "lpt_x", "--gateway", address);

        Assert.Equal(5, exitCode);
        Assert.Equal(string.Empty, output);
        Assert.Contains($"Cannot reach the gateway at {address}/ to check tenant 'alice'", error, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("")]
    [InlineData("lpt_a b")]
    [InlineData("lpt_a\nb")]
    public async Task Env_invalid_token_exit_2(string token)
    {
        var (exitCode, _, error) = await _cli.RunAsync("env", "alice", "--token", token);

        Assert.Equal(2, exitCode);
        Assert.Contains("Invalid --token", error, StringComparison.Ordinal);
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
        Assert.Contains("--token", error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Env_non_gateway_exit_5()
    {
        await using var upstream = await TestUpstream.StartAsync("alice");

        var (exitCode, output, error) = await _cli.RunAsync("env", "alice", "--token", "lpt_x", "--gateway", upstream.Address);

        Assert.Equal(5, exitCode);
        Assert.Equal(string.Empty, output);
        Assert.Contains($"{upstream.Address}/ does not look like the Lab Platform gateway", error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Gateway_with_tenant_path_exit_2()
    {
        var (exitCode, output, error) = await _cli.RunAsync("env", "alice", "--token", "lpt_x", "--gateway", _gateway.Address + "/u/alice");

        Assert.Equal(2, exitCode);
        Assert.Equal(string.Empty, output);
        Assert.Contains("without a tenant path", error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Empty_admin_token_exit_2()
    {
        var (exitCode, _, error) = await _cli.RunAsync("tenant", "list", "--admin-token", "");

        Assert.Equal(2, exitCode);
        Assert.Contains("Invalid --admin-token: the value is empty.", error, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("update", "ALICE", "--add-collaborator", "dan@lab.test")]
    [InlineData("delete", "ALICE")]
    public async Task Tenant_commands_validate_name(params string[] args)
    {
        var (exitCode, _, error) = await _cli.RunAsync(["tenant", .. args]);

        Assert.Equal(2, exitCode);
        Assert.Contains("Invalid tenant name 'ALICE'", error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task At_sign_argument_not_response_file()
    {
        await _cli.RunAsync("tenant", "create", "alice", "--owner", "alice@lab.test");

        var (exitCode, _, error) = await _cli.RunAsync("tenant", "update", "alice", "--add-collaborator", "@x.com");

        Assert.Equal(2, exitCode);
        Assert.DoesNotContain("Response file", error, StringComparison.Ordinal);
        Assert.Contains("Invalid collaborator '@x.com'", error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Token_list_shows_description()
    {
        await _cli.RunAsync("token", "create", "--user", "alice@lab.test", "--description", "main job");

        var (exitCode, output, _) = await _cli.RunAsync("token", "list");

        Assert.Equal(0, exitCode);
        Assert.Contains("DESCRIPTION", output, StringComparison.Ordinal);
        Assert.Contains("main job", output, StringComparison.Ordinal);
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

    [Theory]
    [InlineData("--version")]
    [InlineData("--data-dir", ".labplatform", "--version")]
    public async Task Version_exit_0(params string[] args)
    {
        var (exitCode, output, error) = await _cli.RunAsync(args);

        Assert.True(exitCode == 0, error);
        Assert.Matches(@"^\d+\.\d+\.\d+", output.Trim());
    }

    [Fact]
    public async Task Unknown_command_exit_2()
    {
        var (exitCode, _, error) = await _cli.RunAsync("tenants");

        Assert.Equal(2, exitCode);
        Assert.False(string.IsNullOrWhiteSpace(error));
    }
}
