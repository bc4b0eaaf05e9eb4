using Platform.Operator.Api;
using Platform.Operator.Database;

namespace Platform.Operator.Reconciliation;

/// <summary>Ensures the tenant's PostgreSQL schema and LOGIN role, with the password from the database Secret.</summary>
public sealed class DatabaseReconciler(ITenantDatabase database) : ITenantReconciler
{
    public string ConditionType => ConditionTypes.DatabaseReady;

    public string FailureReason => "DatabaseFailed";

    public async Task ReconcileAsync(TenantContext context, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(context);
        var password = context.DatabasePassword
            ?? throw new InvalidOperationException($"TrackingServer {context.Namespace}/{context.Name} has no database password; the Secret step must run before the database step.");

        await database.EnsureAsync(context.DatabaseNames, password, cancellationToken);
        context.Observe(ConditionTypes.DatabaseReady, ready: true, "SchemaReady",
            $"Schema {context.DatabaseNames.Schema} and role {context.DatabaseNames.Role} exist.");
    }
}
