namespace Platform.Tracking.Registry.Model;

/// <summary>MLflow's ModelVersionStatus names; this server registers synchronously, so versions are READY at once.</summary>
public static class ModelVersionStatus
{
    public const string Ready = "READY";
}
