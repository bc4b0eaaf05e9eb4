namespace Platform.Operator.Reconciliation;

/// <summary>Outcome of a successful reconcile: done, or come back after <see cref="RequeueAfter"/> to poll for drift.</summary>
public readonly record struct ReconcileResult(TimeSpan? RequeueAfter)
{
    public static ReconcileResult Done { get; } = new(null);
}
