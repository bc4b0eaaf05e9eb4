using System.CommandLine;
using System.Text.Json.Nodes;
using Platform.Cli.Gateway;

namespace Platform.Cli.Commands;

/// <summary><c>labctl tenant create|list|delete</c>.</summary>
internal static class TenantCommands
{
    public static Command Create(GlobalOptions global, CliEnvironment environment)
    {
        var tenant = new Command("tenant", "Create, list and delete tenants (one tracking server per researcher).");

        var name = new Argument<string>("name") { Description = "Tenant name: 1-63 lowercase letters, digits or '-'." };
        var owner = new Option<string>("--owner") { Description = "Owner's email address.", Required = true };
        var collaborators = new Option<string[]>("--collaborator")
        {
            Description = "Email of a collaborator who may use the tenant; repeat for several.",
            AllowMultipleArgumentsPerToken = false,
        };
        var create = new Command("create", "Create a tenant and (on the local platform) start its tracking server.") { name, owner, collaborators };
        create.SetAction((parseResult, cancellationToken) => CliRunner.RunAsync(environment, async () =>
        {
            using var client = new AdminClient(global.Resolve(parseResult, environment));
            var body = new
            {
                Name = parseResult.GetValue(name),
                Owner = parseResult.GetValue(owner),
                Collaborators = parseResult.GetValue(collaborators) ?? [],
            };
            var created = await client.SendAsync(HttpMethod.Post, "admin/v1/tenants", body, cancellationToken);
            await environment.Out.WriteLineAsync($"Created tenant {created["name"]} (owner {created["owner"]}, status {created["status"]}).");
        }));

        var list = new Command("list", "List tenants.");
        list.SetAction((parseResult, cancellationToken) => CliRunner.RunAsync(environment, async () =>
        {
            using var client = new AdminClient(global.Resolve(parseResult, environment));
            var response = await client.SendAsync(HttpMethod.Get, "admin/v1/tenants", null, cancellationToken);
            await environment.Out.WriteLineAsync($"{"NAME",-24} {"OWNER",-32} {"STATUS",-9} COLLABORATORS");
            foreach (var item in response["tenants"]?.AsArray() ?? [])
            {
                var others = string.Join(",", item?["collaborators"]?.AsArray().Select(c => c?.GetValue<string>()) ?? []);
                await environment.Out.WriteLineAsync($"{item?["name"],-24} {item?["owner"],-32} {item?["status"],-9} {others}");
            }
        }));

        var deleteName = new Argument<string>("name") { Description = "Tenant to delete." };
        var delete = new Command("delete", "Delete a tenant: stop its server, revoke its tokens; the local platform keeps its data under deleted-tenants/.") { deleteName };
        delete.SetAction((parseResult, cancellationToken) => CliRunner.RunAsync(environment, async () =>
        {
            using var client = new AdminClient(global.Resolve(parseResult, environment));
            var tenantName = parseResult.GetValue(deleteName)!;
            var response = await client.SendAsync(HttpMethod.Delete, "admin/v1/tenants/" + Uri.EscapeDataString(tenantName), null, cancellationToken);
            await environment.Out.WriteLineAsync($"Deleted tenant {tenantName}; revoked {response["revoked_tokens"] ?? JsonValue.Create(0)} tokens.");
        }));

        tenant.Subcommands.Add(create);
        tenant.Subcommands.Add(list);
        tenant.Subcommands.Add(delete);
        return tenant;
    }
}
