using System.Reflection;
using Platform.ServiceDefaults;
using Platform.Tracking.Api;

namespace Platform.Tracking.Hosting;

/// <summary>
/// Handler of <c>GET /</c>. It returns a small JSON document with the service name, version and API base
/// paths, so a person who opens the server's URL in a browser learns what it is and how to use it.
/// </summary>
internal sealed class ServerInfoEndpoint(bool hostsArtifacts)
{
    /// <summary>Value of the <c>service</c> field.</summary>
    public const string ServiceDisplayName = "Lab Platform tracking server";

    private static readonly string Version =
        typeof(ServerInfoEndpoint).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion ?? "unknown";

    public Task HandleAsync(HttpContext context) =>
        JsonResults.WriteObjectAsync(context, writer =>
        {
            writer.WriteString("service", ServiceDisplayName);
            writer.WriteString("version", Version);
            writer.WriteString(
                "description",
                "This server has no web UI. Use it with the MLflow client or SDK: set MLFLOW_TRACKING_URI to this URL " +
                "and MLFLOW_TRACKING_TOKEN to your platform token.");
            writer.WriteStartArray("api_base_paths");
            writer.WriteStringValue("/api/2.0/mlflow/");
            if (hostsArtifacts)
            {
                writer.WriteStringValue("/api/2.0/mlflow-artifacts/");
            }

            writer.WriteStringValue("/api/3.0/mlflow/");
            writer.WriteEndArray();
            writer.WriteStartObject("health_paths");
            writer.WriteString("liveness", ServiceDefaultsExtensions.LivenessPath);
            writer.WriteString("readiness", ServiceDefaultsExtensions.ReadinessPath);
            writer.WriteEndObject();
        });
}
