using Microsoft.AspNetCore.Http.Json;
using Microsoft.Extensions.Options;
using Platform.Gateway.Hosting;
using Platform.Gateway.Routing;
using Platform.Gateway.Tenants;

namespace Platform.Gateway.Admin;

/// <summary><c>PATCH /admin/v1/tenants/{name}</c>: adds and removes a tenant's collaborators.</summary>
internal static partial class AdminEndpoints
{
    private static readonly Dictionary<string, string> UpdateTenantFields = new(StringComparer.Ordinal)
    {
        ["add_collaborators"] = "a list of email address strings",
        ["remove_collaborators"] = "a list of email address strings",
    };

    private static async Task<IResult> UpdateTenantAsync(
        string name,
        HttpRequest httpRequest,
        IOptions<JsonOptions> jsonOptions,
        TenantStore tenants,
        ITenantDestinations destinations,
        ILoggerFactory loggerFactory,
        CancellationToken cancellationToken)
    {
        if (tenants.Find(name) is not { } tenant)
        {
            return TenantNotFound(name);
        }

        var (request, bodyError) = await AdminRequestBody.ReadAsync<UpdateTenantRequest>(httpRequest, UpdateTenantFields, jsonOptions.Value.SerializerOptions, cancellationToken);
        if (request is null)
        {
            return bodyError!;
        }

        var add = request.AddCollaborators ?? [];
        var remove = request.RemoveCollaborators ?? [];
        var errors = ValidateCollaboratorChanges(tenant, add, remove);
        if (errors.Count > 0)
        {
            return Error(StatusCodes.Status400BadRequest, MlflowError.InvalidParameterValue, string.Join(" ", errors));
        }

        var update = await tenants.UpdateCollaboratorsAsync(name, add, remove, AdminLimits.MaxCollaboratorsPerTenant, cancellationToken);
        if (update is null)
        {
            return TenantNotFound(name);
        }

        if (update.OverLimit)
        {
            var message = $"Too many collaborators: the update would give tenant '{name}' {update.CollaboratorCount} collaborators, " +
                $"and a tenant has at most {AdminLimits.MaxCollaboratorsPerTenant}. Nothing was changed.";
            return Error(StatusCodes.Status400BadRequest, MlflowError.InvalidParameterValue, message);
        }

        // Removing a non-collaborator is rejected, not ignored, because a mistyped address would otherwise leave the intended collaborator's access in place unnoticed.
        if (!update.Applied)
        {
            return Error(StatusCodes.Status400BadRequest, MlflowError.InvalidParameterValue, DescribeNotCollaborators(update));
        }

        var logger = loggerFactory.CreateLogger(typeof(AdminEndpoints).FullName!);
        if (update.Added.Count > 0 || update.Removed.Count > 0)
        {
            Log.CollaboratorsUpdated(logger, name, AdminLimits.ForLog(update.Added), AdminLimits.ForLog(update.Removed), update.CollaboratorCount);
        }

        return Results.Ok(Describe(update.Tenant, destinations));
    }

    private static List<string> ValidateCollaboratorChanges(Tenant tenant, List<string> add, List<string> remove)
    {
        var errors = new List<string>();
        if (add.Count == 0 && remove.Count == 0)
        {
            errors.Add("Nothing to update: give add_collaborators or remove_collaborators as a list of email addresses.");
        }

        if (add.Count + remove.Count > AdminLimits.MaxAddressesPerRequest)
        {
            errors.Add($"Too many addresses: {add.Count + remove.Count} given, one request takes at most {AdminLimits.MaxAddressesPerRequest} " +
                "in add_collaborators and remove_collaborators together. Split the change into several requests.");
            return errors;
        }

        foreach (var email in add.Where(e => !EmailAddress.IsValid(e)))
        {
            errors.Add($"Invalid collaborator '{AdminLimits.Echo(email)}' in add_collaborators: give an email address such as ada@lab.example.");
        }

        foreach (var email in remove.Where(e => !EmailAddress.IsValid(e)))
        {
            errors.Add($"Invalid collaborator '{AdminLimits.Echo(email)}' in remove_collaborators: give an email address such as ada@lab.example.");
        }

        foreach (var email in add.Intersect(remove, StringComparer.OrdinalIgnoreCase))
        {
            errors.Add($"'{email}' is in both add_collaborators and remove_collaborators: give it in one of them.");
        }

        if (add.Contains(tenant.Owner, StringComparer.OrdinalIgnoreCase))
        {
            errors.Add($"'{tenant.Owner}' is the owner of tenant '{tenant.Name}' and cannot also be a collaborator: leave it out of add_collaborators.");
        }

        return errors;
    }

    private static string DescribeNotCollaborators(CollaboratorUpdate update)
    {
        var tenant = update.Tenant;
        var reasons = update.NotCollaborators.Take(AdminLimits.MaxLoggedAddresses).Select(email => string.Equals(email, tenant.Owner, StringComparison.OrdinalIgnoreCase)
            ? $"'{email}' is the owner of tenant '{tenant.Name}', not a collaborator, and cannot be removed."
            : $"'{email}' is not a collaborator of tenant '{tenant.Name}'.");
        if (update.NotCollaborators.Count > AdminLimits.MaxLoggedAddresses)
        {
            reasons = reasons.Append($"{update.NotCollaborators.Count - AdminLimits.MaxLoggedAddresses} more addresses are not collaborators either.");
        }

        var current = tenant.Collaborators.Count switch
        {
            0 => "none",
            <= AdminLimits.MaxLoggedAddresses => string.Join(", ", tenant.Collaborators),
            _ => $"{tenant.Collaborators.Count} (GET /admin/v1/tenants/{tenant.Name} lists them)",
        };
        return $"{string.Join(" ", reasons)} Current collaborators: {current}. Nothing was changed.";
    }

    private static partial class Log
    {
        [LoggerMessage(EventId = 2501, Level = LogLevel.Information, Message = "Updated the collaborators of tenant {Tenant}: added {Added}, removed {Removed}, {CollaboratorCount} now")]
        public static partial void CollaboratorsUpdated(ILogger logger, string tenant, string added, string removed, int collaboratorCount);
    }
}
