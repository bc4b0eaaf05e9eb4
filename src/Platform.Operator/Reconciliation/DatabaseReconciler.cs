using System.Collections.Concurrent;
using Microsoft.Extensions.Options;
using Platform.Operator.Api;
using Platform.Operator.Database;
using Platform.Operator.Hosting;

namespace Platform.Operator.Reconciliation;

/// <summary>
/// Ensures the tenant's PostgreSQL schema and LOGIN role, with the password from the database Secret.
/// A successful ensure is remembered per TrackingServer UID and password for one resync period, because
/// owned-object events trigger several reconciles per tenant and each ensure costs about ten round trips.
/// After the period, with a new password, or for a recreated TrackingServer, the database is checked again.
/// </summary>
public sealed class DatabaseReconciler(ITenantDatabase database, TimeProvider time, IOptions<OperatorOptions> options) : ITenantReconciler
{
    private readonly ConcurrentDictionary<string, DateTimeOffset> _ensured = new(StringComparer.Ordinal);

    public string ConditionType => ConditionTypes.DatabaseReady;

    public string FailureReason => "DatabaseFailed";

    public async Task ReconcileAsync(TenantContext context, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(context);
        var password = context.DatabasePassword
            ?? throw new InvalidOperationException($"TrackingServer {context.Namespace}/{context.Name} has no database password; the Secret step must run before the database step.");

        var key = $"{context.Resource.Metadata.Uid}/{context.DatabaseNames.Schema}/{OwnedObjects.Hash(password)}";
        var now = time.GetUtcNow();
        if (!_ensured.TryGetValue(key, out var ensuredAt) || now - ensuredAt >= options.Value.ResyncPeriod)
        {
            await database.EnsureAsync(context.DatabaseNames, password, cancellationToken);
            _ensured[key] = now;
        }

        context.Observe(ConditionTypes.DatabaseReady, ready: true, "SchemaReady",
            $"Schema {context.DatabaseNames.Schema} and role {context.DatabaseNames.Role} exist.");
    }
}
