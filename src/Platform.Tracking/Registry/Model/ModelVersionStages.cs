using Platform.Tracking.Api;

namespace Platform.Tracking.Registry.Model;

/// <summary>MLflow's model version stages (mlflow/entities/model_registry/model_version_stages.py).</summary>
public static class ModelVersionStages
{
    public const string None = "None";
    public const string Staging = "Staging";
    public const string Production = "Production";
    public const string Archived = "Archived";

    /// <summary>Stage of a deleted version; such versions are hidden but keep their number, so it is never reused.</summary>
    public const string DeletedInternal = "Deleted_Internal";

    public static readonly IReadOnlyList<string> All = [None, Staging, Production, Archived];

    /// <summary>Returns the canonical spelling of <paramref name="stage"/>, matched without regard to case.</summary>
    public static string Canonicalize(string stage) =>
        All.FirstOrDefault(known => known.Equals(stage, StringComparison.OrdinalIgnoreCase))
        ?? throw TrackingException.InvalidParameter(
            $"Invalid Model Version stage: {stage}. Value must be one of {string.Join(", ", All)}.");

    /// <summary>Returns whether existing versions may be archived when a version moves to <paramref name="stage"/>.</summary>
    public static bool IsActive(string stage) => stage is Staging or Production;
}
