namespace Platform.Operator.Reconciliation;

/// <summary>What a reconcile step saw for one condition: whether it holds, a CamelCase reason and a message for people.</summary>
public sealed record ConditionObservation(bool Ready, string Reason, string Message);
