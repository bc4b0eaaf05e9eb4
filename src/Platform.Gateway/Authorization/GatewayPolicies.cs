namespace Platform.Gateway.Authorization;

/// <summary>Names of the gateway's authorization policies.</summary>
public static class GatewayPolicies
{
    /// <summary>The caller may use the tenant of the matched proxy route.</summary>
    public const string TenantAccess = "tenant-access";

    /// <summary>The caller has the admin token or is a configured admin.</summary>
    public const string Admin = "admin";
}
