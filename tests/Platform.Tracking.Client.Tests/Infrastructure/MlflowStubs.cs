using System.Collections.Concurrent;

namespace Platform.Tracking.Client.Tests;

/// <summary>MLflow responses for the run lifecycle, shared by the scope and buffer tests.</summary>
public static class MlflowStubs
{
    public const string RunId = "0123456789abcdef0123456789abcdef";
    public const string ArtifactUri = "mlflow-artifacts:/0/" + RunId + "/artifacts";

    public static string RunInfoJson(string status = "RUNNING") =>
        $$"""{"run_id":"{{RunId}}","run_uuid":"{{RunId}}","run_name":"r","experiment_id":"0","user_id":"u","status":"{{status}}","start_time":1700000000000,"artifact_uri":"{{ArtifactUri}}","lifecycle_stage":"active"}""";

    public static string RunJson(string status = "RUNNING") => $$$"""{"info":{{{RunInfoJson(status)}}},"data":{}}""";

    /// <summary>Maps runs/create, runs/update and runs/log-batch; returns the statuses that runs/update received.</summary>
    public static ConcurrentQueue<string> MapRunLifecycle(RecordingServer server)
    {
        var statuses = new ConcurrentQueue<string>();
        server.OnJson("POST", "/api/2.0/mlflow/runs/create", $$"""{"run":{{RunJson()}}}""");
        server.On("POST", "/api/2.0/mlflow/runs/update", (context, request) =>
        {
            var status = request.Json.GetProperty("status").GetString()!;
            statuses.Enqueue(status);
            return RecordingServer.WriteJsonAsync(context, $$"""{"run_info":{{RunInfoJson(status)}}}""");
        });
        server.OnJson("POST", "/api/2.0/mlflow/runs/log-batch", "{}");
        server.OnJson("POST", "/api/2.0/mlflow/runs/log-parameter", "{}");
        server.OnJson("POST", "/api/2.0/mlflow/runs/set-tag", "{}");
        return statuses;
    }
}
