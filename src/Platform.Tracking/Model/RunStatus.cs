namespace Platform.Tracking.Model;

/// <summary>MLflow's run status names as they travel in JSON.</summary>
public static class RunStatus
{
    public const string Running = "RUNNING";
    public const string Scheduled = "SCHEDULED";
    public const string Finished = "FINISHED";
    public const string Failed = "FAILED";
    public const string Killed = "KILLED";

    public static bool IsValid(string status) =>
        status is Running or Scheduled or Finished or Failed or Killed;
}
