namespace Platform.Operator.Api;

/// <summary>Condition types in <c>status.conditions</c>.</summary>
public static class ConditionTypes
{
    /// <summary>Summary: True when every other condition is True for the current generation.</summary>
    public const string Ready = "Ready";

    /// <summary>The schema and the role exist and the role's password matches the Secret.</summary>
    public const string DatabaseReady = "DatabaseReady";

    /// <summary>The artifact bucket is reachable under the tenant's prefix.</summary>
    public const string StorageReady = "StorageReady";

    /// <summary>The Deployment has its replicas ready (or is suspended at zero).</summary>
    public const string Available = "Available";
}
