using Microsoft.Extensions.Options;
using Platform.Gateway.Hosting;
using Platform.Gateway.Tenants;

namespace Platform.Gateway.Routing;

/// <summary>
/// Destinations outside local mode: the tenant's explicit destination, else
/// <see cref="GatewayOptions.DestinationTemplate"/> with the tenant name filled in.
/// </summary>
internal sealed class ConfiguredTenantDestinations : ITenantDestinations
{
    private readonly IOptionsMonitor<GatewayOptions> _options;

    public ConfiguredTenantDestinations(IOptionsMonitor<GatewayOptions> options)
    {
        ArgumentNullException.ThrowIfNull(options);
        _options = options;
    }

    // Addresses come only from tenants and configuration, which raise their own change events.
    public event Action? Changed
    {
        add { }
        remove { }
    }

    public string? Resolve(Tenant tenant)
    {
        ArgumentNullException.ThrowIfNull(tenant);

        if (tenant.Destination is not null)
        {
            return tenant.Destination;
        }

        var template = _options.CurrentValue.DestinationTemplate;
        return string.IsNullOrWhiteSpace(template) ? null : template.Replace("{tenant}", tenant.Name, StringComparison.Ordinal);
    }
}
