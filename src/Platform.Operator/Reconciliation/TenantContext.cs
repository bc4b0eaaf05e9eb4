using k8s.Models;
using Platform.Operator.Api;
using Platform.Operator.Database;
using Platform.Operator.Storage;

namespace Platform.Operator.Reconciliation;

/// <summary>
/// Everything one reconcile of a TrackingServer derives and observes: names, labels, the owner reference,
/// the database password once the Secret step has it, and one observation per condition type.
/// </summary>
public sealed class TenantContext
{
    private readonly Dictionary<string, ConditionObservation> _observations = new(StringComparer.Ordinal);

    public TenantContext(TrackingServer resource)
    {
        ArgumentNullException.ThrowIfNull(resource);

        Resource = resource;
        Name = resource.Metadata.Name;
        Namespace = resource.Metadata.NamespaceProperty ?? "default";
        DatabaseNames = TenantDatabaseNames.ForTenant(Name);
        BucketPrefix = TenantPrefix.For(Name);
        Names = new OwnedObjectNames(Name);
    }

    public TrackingServer Resource { get; }

    public string Name { get; }

    public string Namespace { get; }

    public long Generation => Resource.Metadata.Generation ?? 0;

    public TenantDatabaseNames DatabaseNames { get; }

    public string BucketPrefix { get; }

    public OwnedObjectNames Names { get; }

    /// <summary>The role's password, read from or generated into the database Secret.</summary>
    public string? DatabasePassword { get; set; }

    /// <summary>Labels that select the tenant's pods.</summary>
    public IDictionary<string, string> SelectorLabels => new Dictionary<string, string>(StringComparer.Ordinal)
    {
        ["app.kubernetes.io/name"] = "tracking-server",
        ["app.kubernetes.io/instance"] = Name,
    };

    /// <summary>Labels on every owned object: the selector labels plus the owner and the manager.</summary>
    public IDictionary<string, string> Labels
    {
        get
        {
            var labels = SelectorLabels;
            labels["app.kubernetes.io/managed-by"] = TrackingServerApi.ManagedBy;
            labels[TrackingServerApi.TenantLabel] = Name;
            return labels;
        }
    }

    /// <summary>The controller owner reference that ties owned objects to the TrackingServer for garbage collection and watches.</summary>
    public V1OwnerReference OwnerReference => new()
    {
        ApiVersion = TrackingServerApi.ApiVersion,
        Kind = TrackingServerApi.Kind,
        Name = Name,
        Uid = Resource.Metadata.Uid,
        Controller = true,
        BlockOwnerDeletion = true,
    };

    public IReadOnlyDictionary<string, ConditionObservation> Observations => _observations;

    /// <summary>Records what a step observed for one condition type; the status step turns it into a condition.</summary>
    public void Observe(string conditionType, bool ready, string reason, string message) =>
        _observations[conditionType] = new ConditionObservation(ready, reason, message);

    /// <summary>Builds object metadata with the tenant's labels, an owner reference and the given name.</summary>
    public V1ObjectMeta OwnedMetadata(string name) => new()
    {
        Name = name,
        NamespaceProperty = Namespace,
        Labels = Labels,
        Annotations = new Dictionary<string, string>(StringComparer.Ordinal),
        OwnerReferences = [OwnerReference],
    };
}
