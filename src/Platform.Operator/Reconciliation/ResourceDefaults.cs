using k8s.Models;

namespace Platform.Operator.Reconciliation;

/// <summary>Default requests and limits of a tracking server container, which a TrackingServer's spec.resources overrides key by key.</summary>
public static class ResourceDefaults
{
    public static V1ResourceRequirements Merge(V1ResourceRequirements? overrides)
    {
        var requests = new Dictionary<string, ResourceQuantity>(StringComparer.Ordinal)
        {
            ["cpu"] = new("100m"),
            ["memory"] = new("256Mi"),
        };
        var limits = new Dictionary<string, ResourceQuantity>(StringComparer.Ordinal)
        {
            ["memory"] = new("1Gi"),
        };

        foreach (var (key, value) in overrides?.Requests ?? new Dictionary<string, ResourceQuantity>())
        {
            requests[key] = value;
        }

        foreach (var (key, value) in overrides?.Limits ?? new Dictionary<string, ResourceQuantity>())
        {
            limits[key] = value;
        }

        return new V1ResourceRequirements { Requests = requests, Limits = limits };
    }
}
