namespace Platform.Operator.Reconciliation;

/// <summary>One or more steps of a reconcile failed; their conditions are already in status, and the key is retried with backoff.</summary>
public sealed class ReconcileFailedException(string message, IReadOnlyList<Exception> failures)
    : AggregateException(message, failures)
{
}
