namespace Platform.Operator.Reconciliation;

/// <summary>Names of the objects the operator creates for a tenant.</summary>
public sealed record OwnedObjectNames(string Tenant)
{
    /// <summary>Name of the Deployment, the Service and the NetworkPolicy.</summary>
    public string Workload => $"tracking-{Tenant}";

    /// <summary>Secret with the database role, password and backend store URI.</summary>
    public string DatabaseSecret => $"tracking-{Tenant}-db";

    /// <summary>Secret with the service token that the tenant's training jobs use.</summary>
    public string TokenSecret => $"tracking-{Tenant}-token";
}
