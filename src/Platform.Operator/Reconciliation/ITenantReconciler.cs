namespace Platform.Operator.Reconciliation;

/// <summary>One concern of a TrackingServer's desired state (database, a Secret, the Deployment, ...), applied idempotently.</summary>
public interface ITenantReconciler
{
    /// <summary>Condition type that a failure of this step marks False.</summary>
    string ConditionType { get; }

    /// <summary>Reason recorded on <see cref="ConditionType"/> when this step throws.</summary>
    string FailureReason { get; }

    /// <summary>Brings this concern to its desired state and records observations on <paramref name="context"/>.</summary>
    Task ReconcileAsync(TenantContext context, CancellationToken cancellationToken);
}
