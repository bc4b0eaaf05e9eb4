using Platform.Tracking.Tests.Infrastructure;

namespace Platform.Tracking.Tests.Registry;

/// <summary>Registry calls with the JSON bodies that MLflow's Python client sends (proto JSON, version as a string).</summary>
public static class RegistryCalls
{
    public static string UniqueName(string prefix) => $"{prefix}-{Guid.NewGuid():N}";

    public static async Task<string> CreateModelAsync(this TrackingApi api, string prefix = "model")
    {
        var name = UniqueName(prefix);
        (await api.PostAsync("registered-models/create", $$"""{"name": "{{name}}"}""")).EnsureOk();
        return name;
    }

    /// <summary>Creates a version the way <c>mlflow.register_model("runs:/id/model", name)</c> does and returns its version string.</summary>
    public static async Task<string> CreateVersionAsync(this TrackingApi api, string name, string runId, string path = "model")
    {
        var response = (await api.PostAsync("model-versions/create",
            $$"""{"name": "{{name}}", "source": "runs:/{{runId}}/{{path}}", "run_id": "{{runId}}"}""")).EnsureOk();
        return response.Json.GetProperty("model_version").GetProperty("version").GetString()!;
    }

    /// <summary>Creates an experiment and a run and returns the run id.</summary>
    public static async Task<string> CreateRunAsync(this TrackingApi api)
    {
        var experimentId = await api.CreateExperimentAsync("registry");
        return await api.CreateRunAsync(experimentId);
    }

    public static Task<ApiResponse> DeleteAsync(this TrackingApi api, string path, string json) =>
        api.SendAsync(HttpMethod.Delete, path, json, null);

    public static Task<ApiResponse> PatchAsync(this TrackingApi api, string path, string json) =>
        api.SendAsync(HttpMethod.Patch, path, json, null);
}
