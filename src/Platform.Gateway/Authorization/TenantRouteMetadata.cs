using Yarp.ReverseProxy.Model;

namespace Platform.Gateway.Authorization;

/// <summary>Reads the tenant name that <c>TenantRouteTable</c> stores in each proxy route's metadata.</summary>
internal static class TenantRouteMetadata
{
    public const string TenantKey = "tenant";

    /// <summary>Returns the tenant of the request's matched proxy route, or null for other endpoints.</summary>
    public static string? GetTenant(HttpContext context)
    {
        // Route matching has already run, so the endpoint is the tenant's own YARP route.
        var route = context.GetEndpoint()?.Metadata.GetMetadata<RouteModel>();
        return route?.Config.Metadata?.GetValueOrDefault(TenantKey);
    }
}
