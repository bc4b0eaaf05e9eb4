using System.CommandLine;
using Platform.Cli.Gateway;

namespace Platform.Cli.Commands;

/// <summary><c>labctl tenant create|list|update|delete</c>.</summary>
internal static class TenantCommands
{
    public static Command Create(GlobalOptions global, CliEnvironment environment)
    {
        var tenant = new Command("tenant", "Create, list, update and delete tenants (one tracking server per researcher).");

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
            var table = new TextTable("NAME", "OWNER", "STATUS", "COLLABORATORS");
            foreach (var item in response["tenants"]?.AsArray() ?? [])
            {
                var others = string.Join(",", item?["collaborators"]?.AsArray().Select(c => c?.GetValue<string>()) ?? []);
                table.AddRow(item?["name"]?.ToString() ?? string.Empty, item?["owner"]?.ToString() ?? string.Empty, item?["status"]?.ToString() ?? string.Empty, others);
            }

            await table.WriteAsync(environment.Out);
        }));

        var update = CreateUpdateCommand(global, environment);

        var deleteName = new Argument<string>("name") { Description = "Tenant to delete." };
        var delete = new Command("delete", "Delete a tenant: stop its server, revoke its tokens; the local platform keeps its data under deleted-tenants/.") { deleteName };
        delete.SetAction((parseResult, cancellationToken) => CliRunner.RunAsync(environment, async () =>
        {
            using var client = new AdminClient(global.Resolve(parseResult, environment));
            var tenantName = parseResult.GetValue(deleteName)!;
            TenantNameArgument.Validate(tenantName);
            var response = await client.SendAsync(HttpMethod.Delete, "admin/v1/tenants/" + Uri.EscapeDataString(tenantName), null, cancellationToken);
            var revoked = response["revoked_tokens"]?.GetValue<int>() ?? 0;
            await environment.Out.WriteLineAsync($"Deleted tenant {tenantName}; revoked {revoked} {(revoked == 1 ? "token" : "tokens")}.");
        }));

        tenant.Subcommands.Add(create);
        tenant.Subcommands.Add(list);
        tenant.Subcommands.Add(update);
        tenant.Subcommands.Add(delete);
        return tenant;
    }

    private static Command CreateUpdateCommand(GlobalOptions global, CliEnvironment environment)
    {
        var name = new Argument<string>("name") { Description = "Tenant to change." };
        var add = new Option<string[]>("--add-collaborator")
        {
            HelpName = "email",
            Description = "Email of a collaborator to add; repeat for several. Adding an existing collaborator changes nothing.",
            AllowMultipleArgumentsPerToken = false,
        };
        var remove = new Option<string[]>("--remove-collaborator")
        {
            HelpName = "email",
            Description = "Email of a collaborator to remove; repeat for several. Naming someone who is not a collaborator fails and changes nothing.",
            AllowMultipleArgumentsPerToken = false,
        };
        var update = new Command("update", "Add or remove collaborators of a tenant; the change applies to their next request.") { name, add, remove };
        update.SetAction((parseResult, cancellationToken) => CliRunner.RunAsync(environment, async () =>
        {
            var tenantName = parseResult.GetValue(name)!;
            TenantNameArgument.Validate(tenantName);
            var added = parseResult.GetValue(add) ?? [];
            var removed = parseResult.GetValue(remove) ?? [];
            if (added.Length == 0 && removed.Length == 0)
            {
                throw new CliException("Nothing to update: pass --add-collaborator EMAIL or --remove-collaborator EMAIL (each may be repeated).", ExitCodes.InvalidArguments);
            }

            using var client = new AdminClient(global.Resolve(parseResult, environment));
            var body = new { AddCollaborators = added, RemoveCollaborators = removed };
            var updated = await client.SendAsync(HttpMethod.Patch, "admin/v1/tenants/" + Uri.EscapeDataString(tenantName), body, cancellationToken);
            var collaborators = string.Join(",", updated["collaborators"]?.AsArray().Select(c => c?.GetValue<string>()) ?? []);
            await environment.Out.WriteLineAsync($"Updated tenant {tenantName}; collaborators: {(collaborators.Length > 0 ? collaborators : "none")}.");
        }));
        return update;
    }
}
