namespace Platform.Gateway.Tenants;

/// <summary>Result of <see cref="TenantStore.UpdateCollaboratorsAsync"/>.</summary>
/// <param name="Tenant">The tenant after the update, or unchanged when <paramref name="NotCollaborators"/> is not empty.</param>
/// <param name="NotCollaborators">Emails asked to be removed that are not collaborators of the tenant; when any exist, nothing was written.</param>
public sealed record CollaboratorUpdate(Tenant Tenant, IReadOnlyList<string> NotCollaborators)
{
    /// <summary>True when the change was written.</summary>
    public bool Applied => NotCollaborators.Count == 0;
}
