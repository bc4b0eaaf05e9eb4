using Platform.Gateway.Hosting;
using Platform.Gateway.Routing;
using Platform.Gateway.Tenants;

namespace Platform.Gateway.Admin;

/// <summary><c>PATCH /admin/v1/tenants/{name}</c>: adds and removes a tenant's collaborators.</summary>
internal static partial class AdminEndpoints
{
    private static async Task<IResult> UpdateTenantAsync(
        string name,
        UpdateTenantRequest request,
        TenantStore tenants,
        ITenantDestinations destinations,
        ILoggerFactory loggerFactory,
        CancellationToken cancellationToken)
    {
        if (tenants.Find(name) is null)
        {
            return TenantNotFound(name);
        }

        var add = request.AddCollaborators ?? [];
        var remove = request.RemoveCollaborators ?? [];
        var errors = ValidateCollaboratorChanges(add, remove);
        if (errors.Count > 0)
        {
            return Error(StatusCodes.Status400BadRequest, MlflowError.InvalidParameterValue, string.Join(" ", errors));
        }

        var update = await tenants.UpdateCollaboratorsAsync(name, add, remove, cancellationToken);
        if (update is null)
        {
            return TenantNotFound(name);
        }

        // Removing a non-collaborator is rejected, not ignored, because a mistyped address would otherwise leave the intended collaborator's access in place unnoticed.
        if (!update.Applied)
        {
            return Error(StatusCodes.Status400BadRequest, MlflowError.InvalidParameterValue, DescribeNotCollaborators(update));
        }

        var logger = loggerFactory.CreateLogger(typeof(AdminEndpoints).FullName!);
        Log.CollaboratorsUpdated(logger, name, string.Join(",", add), string.Join(",", remove), update.Tenant.Collaborators.Count);
        return Results.Ok(Describe(update.Tenant, destinations));
    }

    private static List<string> ValidateCollaboratorChanges(List<string> add, List<string> remove)
    {
        var errors = new List<string>();
        if (add.Count == 0 && remove.Count == 0)
        {
            errors.Add("Nothing to update: give add_collaborators or remove_collaborators as a list of email addresses.");
        }

        foreach (var email in add.Where(e => !EmailAddress.IsValid(e)))
        {
            errors.Add($"Invalid collaborator '{email}' in add_collaborators: give an email address such as ada@lab.example.");
        }

        foreach (var email in remove.Where(e => !EmailAddress.IsValid(e)))
        {
            errors.Add($"Invalid collaborator '{email}' in remove_collaborators: give an email address such as ada@lab.example.");
        }

        foreach (var email in add.Intersect(remove, StringComparer.OrdinalIgnoreCase))
        {
            errors.Add($"'{email}' is in both add_collaborators and remove_collaborators: give it in one of them.");
        }

        return errors;
    }

    private static string DescribeNotCollaborators(CollaboratorUpdate update)
    {
        var tenant = update.Tenant;
        var reasons = update.NotCollaborators.Select(email => string.Equals(email, tenant.Owner, StringComparison.OrdinalIgnoreCase)
            ? $"'{email}' is the owner of tenant '{tenant.Name}', not a collaborator, and cannot be removed."
            : $"'{email}' is not a collaborator of tenant '{tenant.Name}'.");
        var current = tenant.Collaborators.Count > 0 ? string.Join(", ", tenant.Collaborators) : "none";
        return $"{string.Join(" ", reasons)} Current collaborators: {current}. Nothing was changed.";
    }

    private static partial class Log
    {
        [LoggerMessage(EventId = 2501, Level = LogLevel.Information, Message = "Updated the collaborators of tenant {Tenant}: added [{Added}], removed [{Removed}], {CollaboratorCount} now")]
        public static partial void CollaboratorsUpdated(ILogger logger, string tenant, string added, string removed, int collaboratorCount);
    }
}
