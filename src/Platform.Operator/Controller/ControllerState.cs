namespace Platform.Operator.Controller;

/// <summary>What this replica is doing, for readiness and for tests: leading or standing by, synced, and how many reconciles it ran.</summary>
public sealed class ControllerState
{
    private long _reconciles;
    private volatile bool _leading;
    private volatile bool _synced;

    /// <summary>True while this replica holds the leader Lease.</summary>
    public bool IsLeader
    {
        get => _leading;
        set => _leading = value;
    }

    /// <summary>True once the informers of the current leadership term have listed everything.</summary>
    public bool IsSynced
    {
        get => _synced;
        set => _synced = value;
    }

    /// <summary>Reconciles this replica has finished, successful or not.</summary>
    public long ReconcileCount => Interlocked.Read(ref _reconciles);

    public void CountReconcile() => Interlocked.Increment(ref _reconciles);
}
