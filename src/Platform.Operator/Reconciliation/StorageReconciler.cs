using Platform.Operator.Api;
using Platform.Operator.Storage;

namespace Platform.Operator.Reconciliation;

/// <summary>Checks that the artifact bucket is reachable for the tenant's prefix <c>tenants/&lt;name&gt;/</c>.</summary>
public sealed class StorageReconciler(ITenantStorage storage) : ITenantReconciler
{
    public string ConditionType => ConditionTypes.StorageReady;

    public string FailureReason => "StorageFailed";

    public async Task ReconcileAsync(TenantContext context, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(context);
        await storage.EnsurePrefixAsync(context.BucketPrefix, cancellationToken);
        context.Observe(ConditionTypes.StorageReady, ready: true, "PrefixReady",
            $"Artifacts go to {storage.DestinationFor(context.BucketPrefix)}.");
    }
}
