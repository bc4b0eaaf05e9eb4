namespace Platform.Gateway.Tenants;

/// <summary>Result of <see cref="TenantStore.UpdateCollaboratorsAsync"/>.</summary>
/// <param name="Tenant">The tenant after the update, or unchanged when the update was not applied.</param>
/// <param name="NotCollaborators">Emails requested for removal that are not collaborators of the tenant; when any exist, nothing was written.</param>
/// <param name="Added">Emails that were not collaborators before and are now.</param>
/// <param name="Removed">Emails that were collaborators before and are not now.</param>
/// <param name="CollaboratorCount">Number of collaborators the update results in, or would have resulted in when it exceeded the limit.</param>
/// <param name="OverLimit">True when the update was not written because <paramref name="CollaboratorCount"/> exceeds the store's limit.</param>
public sealed record CollaboratorUpdate(
    Tenant Tenant, IReadOnlyList<string> NotCollaborators, IReadOnlyList<string> Added, IReadOnlyList<string> Removed, int CollaboratorCount, bool OverLimit)
{
    /// <summary>True when the change was written.</summary>
    public bool Applied => NotCollaborators.Count == 0 && !OverLimit;
}
