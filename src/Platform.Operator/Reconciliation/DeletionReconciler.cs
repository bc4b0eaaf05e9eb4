using Microsoft.Extensions.Logging;
using Platform.Operator.Api;
using Platform.Operator.Database;
using Platform.Operator.Storage;

namespace Platform.Operator.Reconciliation;

/// <summary>
/// Cleans up after a deleted TrackingServer, before its finalizer is removed. With <c>deletionPolicy: Delete</c>
/// the schema, the role and the objects under the prefix are removed. With <c>Retain</c> they are kept, and an
/// Event records that. Owned Kubernetes objects are left to the garbage collector through their owner references.
/// </summary>
public sealed partial class DeletionReconciler(ITenantDatabase database, ITenantStorage storage, EventRecorder events, ILogger<DeletionReconciler> logger)
{
    public async Task ReconcileAsync(TenantContext context, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(context);
        var names = context.DatabaseNames;
        if ((context.Resource.Spec.DeletionPolicy ?? DeletionPolicy.Retain) == DeletionPolicy.Retain)
        {
            LogRetained(context.Namespace, context.Name, names.Schema, context.BucketPrefix);
            await events.RecordAsync(context.Resource, EventRecorder.Normal, "Retained",
                $"deletionPolicy is Retain: kept schema {names.Schema}, role {names.Role} and objects under {context.BucketPrefix}.",
                cancellationToken);
            return;
        }

        await database.DropAsync(names, cancellationToken);
        var deleted = await storage.DeletePrefixAsync(context.BucketPrefix, cancellationToken);
        LogDeleted(context.Namespace, context.Name, names.Schema, deleted, context.BucketPrefix);
        await events.RecordAsync(context.Resource, EventRecorder.Normal, "Deleted",
            $"deletionPolicy is Delete: dropped schema {names.Schema} and role {names.Role} and deleted {deleted} objects under {context.BucketPrefix}.",
            cancellationToken);
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Kept schema {Schema} and prefix {Prefix} of deleted TrackingServer {Namespace}/{Name} (deletionPolicy Retain)")]
    private partial void LogRetained(string @namespace, string name, string schema, string prefix);

    [LoggerMessage(Level = LogLevel.Information, Message = "Dropped schema {Schema} and deleted {ObjectCount} objects under {Prefix} of TrackingServer {Namespace}/{Name}")]
    private partial void LogDeleted(string @namespace, string name, string schema, int objectCount, string prefix);
}
