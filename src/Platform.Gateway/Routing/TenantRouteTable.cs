using Microsoft.Extensions.Options;
using Platform.Gateway.Authorization;
using Platform.Gateway.Hosting;
using Platform.Gateway.Tenants;
using Yarp.ReverseProxy.Configuration;
using Yarp.ReverseProxy.Forwarder;
using Yarp.ReverseProxy.Transforms;

namespace Platform.Gateway.Routing;

/// <summary>
/// Keeps YARP's routes equal to the tenant registry: one route <c>/u/{tenant}/{**rest}</c> and one
/// cluster per tenant that has a destination, republished whenever a tenant or a destination changes.
/// </summary>
internal sealed partial class TenantRouteTable : IDisposable
{
    private readonly InMemoryConfigProvider _provider;
    private readonly TenantStore _tenants;
    private readonly ITenantDestinations _destinations;
    private readonly IOptionsMonitor<GatewayOptions> _options;
    private readonly ILogger<TenantRouteTable> _logger;
    private readonly Lock _publishLock = new();

    public TenantRouteTable(
        InMemoryConfigProvider provider,
        TenantStore tenants,
        ITenantDestinations destinations,
        IOptionsMonitor<GatewayOptions> options,
        ILogger<TenantRouteTable> logger)
    {
        ArgumentNullException.ThrowIfNull(provider);
        ArgumentNullException.ThrowIfNull(tenants);
        ArgumentNullException.ThrowIfNull(destinations);
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(logger);

        _provider = provider;
        _tenants = tenants;
        _destinations = destinations;
        _options = options;
        _logger = logger;

        _tenants.Changed += OnTenantChanged;
        _destinations.Changed += Publish;
    }

    /// <summary>Replaces the proxy configuration with a snapshot built from the current tenants.</summary>
    public void Publish()
    {
        // Serialized so two concurrent changes cannot publish an older snapshot last.
        lock (_publishLock)
        {
            var options = _options.CurrentValue;
            var routes = new List<RouteConfig>();
            var clusters = new List<ClusterConfig>();
            foreach (var tenant in _tenants.List())
            {
                var destination = _destinations.Resolve(tenant);
                if (destination is null)
                {
                    continue;
                }

                routes.Add(BuildRoute(tenant.Name));
                clusters.Add(BuildCluster(tenant.Name, destination, options));
            }

            _provider.Update(routes, clusters);
            Log.RoutesPublished(_logger, routes.Count);
        }
    }

    public void Dispose()
    {
        _tenants.Changed -= OnTenantChanged;
        _destinations.Changed -= Publish;
    }

    private void OnTenantChanged(string tenant) => Publish();

    private static RouteConfig BuildRoute(string tenant) =>
        new RouteConfig
        {
            RouteId = "tenant-" + tenant,
            ClusterId = "tenant-" + tenant,
            AuthorizationPolicy = GatewayPolicies.TenantAccess,
            Match = new RouteMatch { Path = $"/u/{tenant}/{{**rest}}" },
            Metadata = new Dictionary<string, string> { [TenantRouteMetadata.TenantKey] = tenant },
        }
        .WithTransformPathRemovePrefix($"/u/{tenant}");

    private static ClusterConfig BuildCluster(string tenant, string destination, GatewayOptions options) => new()
    {
        ClusterId = "tenant-" + tenant,
        Destinations = new Dictionary<string, DestinationConfig>
        {
            ["tracking"] = new() { Address = destination },
        },
        HealthCheck = new HealthCheckConfig
        {
            Active = new ActiveHealthCheckConfig
            {
                Enabled = true,
                Interval = options.HealthCheckInterval,
                Timeout = options.HealthCheckTimeout,
                Policy = "ConsecutiveFailures",
                Path = "/healthz",
            },
        },
        HttpRequest = new ForwarderRequestConfig { ActivityTimeout = options.ActivityTimeout },
    };

    private static partial class Log
    {
        [LoggerMessage(EventId = 2201, Level = LogLevel.Information, Message = "Published proxy routes for {RouteCount} tenants")]
        public static partial void RoutesPublished(ILogger logger, int routeCount);
    }
}
