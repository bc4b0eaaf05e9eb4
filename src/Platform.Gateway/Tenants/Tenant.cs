namespace Platform.Gateway.Tenants;

/// <summary>A researcher's tracking server, as registered in the gateway.</summary>
/// <param name="Name">Tenant name, the <c>{tenant}</c> in <c>/u/{tenant}/</c>.</param>
/// <param name="Owner">Owner email, lowercase.</param>
/// <param name="Collaborators">Emails of people who may use the tenant besides the owner, lowercase.</param>
/// <param name="Destination">Explicit tracking server address, or null to use local mode or the destination template.</param>
/// <param name="CreatedAt">Creation time (UTC).</param>
public sealed record Tenant(
    string Name,
    string Owner,
    IReadOnlyList<string> Collaborators,
    string? Destination,
    DateTimeOffset CreatedAt)
{
    /// <summary>Returns true when <paramref name="email"/> is the owner or a collaborator (emails compare case-insensitively).</summary>
    public bool IsMember(string email) =>
        string.Equals(Owner, email, StringComparison.OrdinalIgnoreCase) ||
        Collaborators.Any(c => string.Equals(c, email, StringComparison.OrdinalIgnoreCase));
}
