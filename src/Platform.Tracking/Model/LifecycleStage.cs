namespace Platform.Tracking.Model;

/// <summary>MLflow's lifecycle_stage values for experiments and runs.</summary>
public static class LifecycleStage
{
    public const string Active = "active";
    public const string Deleted = "deleted";
}
