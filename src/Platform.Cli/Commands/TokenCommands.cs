using System.CommandLine;
using Platform.Cli.Gateway;
using Platform.Cli.Login;

namespace Platform.Cli.Commands;

/// <summary><c>labctl token create|list|revoke|print</c>.</summary>
internal static class TokenCommands
{
    public static Command Create(GlobalOptions global, CliEnvironment environment)
    {
        var token = new Command("token", "Manage platform access tokens, or print your OIDC ID token.");

        var user = new Option<string>("--user") { Description = "Email of the user the token authenticates.", Required = true };
        var tenant = new Option<string?>("--tenant") { Description = "Limit the token to this tenant." };
        var expiresIn = new Option<string?>("--expires-in") { Description = "Lifetime such as 30d, 12h or 90m (default: no expiry)." };
        var description = new Option<string?>("--description") { Description = "Note shown in 'labctl token list'." };
        var create = new Command("create", "Create a platform token and print it once; it cannot be shown again.") { user, tenant, expiresIn, description };
        create.SetAction((parseResult, cancellationToken) => CliRunner.RunAsync(environment, async () =>
        {
            var lifetime = parseResult.GetValue(expiresIn) is { } text ? Durations.Parse(text, "--expires-in") : (TimeSpan?)null;
            using var client = new AdminClient(global.Resolve(parseResult, environment));
            var body = new
            {
                User = parseResult.GetValue(user),
                Tenant = parseResult.GetValue(tenant),
                ExpiresInSeconds = lifetime is { } l ? (long?)l.TotalSeconds : null,
                Description = parseResult.GetValue(description),
            };
            var created = await client.SendAsync(HttpMethod.Post, "admin/v1/tokens", body, cancellationToken);
            var record = created["token"];
            await environment.Out.WriteLineAsync(created["secret"]?.GetValue<string>());
            await environment.Error.WriteLineAsync(
                $"Created token {record?["id"]} for {record?["user"]}" +
                (record?["tenant"] is { } scope ? $" (tenant {scope})" : string.Empty) +
                (record?["expires_at"] is { } expiry ? $", expires {expiry}" : ", no expiry") +
                ". Store it now: it is not shown again.");
        }));

        var list = new Command("list", "List platform tokens (never their secrets).");
        list.SetAction((parseResult, cancellationToken) => CliRunner.RunAsync(environment, async () =>
        {
            using var client = new AdminClient(global.Resolve(parseResult, environment));
            var response = await client.SendAsync(HttpMethod.Get, "admin/v1/tokens", null, cancellationToken);
            var table = new TextTable("ID", "USER", "TENANT", "STATE", "EXPIRES", "LAST USED", "DESCRIPTION");
            foreach (var item in response["tokens"]?.AsArray() ?? [])
            {
                table.AddRow(
                    item?["id"]?.ToString() ?? string.Empty,
                    item?["user"]?.ToString() ?? string.Empty,
                    item?["tenant"]?.ToString() ?? "-",
                    item?["revoked_at"] is null ? "active" : "revoked",
                    item?["expires_at"]?.ToString() ?? "never",
                    item?["last_used_at"]?.ToString() ?? "never",
                    item?["description"]?.ToString() ?? "-");
            }

            await table.WriteAsync(environment.Out);
        }));

        var id = new Argument<string>("id") { Description = "Token id as shown by 'labctl token list' (tok_...)." };
        var revoke = new Command("revoke", "Revoke a platform token; requests with it fail from then on.") { id };
        revoke.SetAction((parseResult, cancellationToken) => CliRunner.RunAsync(environment, async () =>
        {
            using var client = new AdminClient(global.Resolve(parseResult, environment));
            var tokenId = parseResult.GetValue(id)!;
            await client.SendAsync(HttpMethod.Delete, "admin/v1/tokens/" + Uri.EscapeDataString(tokenId), null, cancellationToken);
            await environment.Out.WriteLineAsync($"Revoked token {tokenId}.");
        }));

        var print = new Command("print", "Print your OIDC ID token from 'labctl login', refreshed first when it expires within 5 minutes.");
        print.SetAction((parseResult, cancellationToken) => CliRunner.RunAsync(environment, async () =>
        {
            using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(30) };
            var source = new IdTokenSource(new CredentialStore(environment), new DeviceFlowClient(http, environment), environment);
            await environment.Out.WriteLineAsync(await source.GetAsync(cancellationToken));
        }));

        token.Subcommands.Add(create);
        token.Subcommands.Add(list);
        token.Subcommands.Add(revoke);
        token.Subcommands.Add(print);
        return token;
    }
}
