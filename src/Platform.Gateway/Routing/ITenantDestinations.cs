using Platform.Gateway.Tenants;

namespace Platform.Gateway.Routing;

/// <summary>Source of each tenant's tracking server address.</summary>
public interface ITenantDestinations
{
    /// <summary>Raised when an address appeared, changed or went away.</summary>
    event Action? Changed;

    /// <summary>Returns the tenant's tracking server address, or null while it has none (for example, still starting).</summary>
    string? Resolve(Tenant tenant);
}
