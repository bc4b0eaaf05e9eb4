using System.Text.Json.Nodes;

namespace Platform.Testing.Kubernetes;

/// <summary>An API error that the server returns as a <c>Status</c> object with the given HTTP code and reason.</summary>
public sealed class KubernetesApiException(int code, string reason, string message) : Exception(message)
{
    /// <summary>HTTP status code, for example 404 or 409.</summary>
    public int Code { get; } = code;

    /// <summary>Machine-readable reason, for example <c>NotFound</c> or <c>Conflict</c>.</summary>
    public string Reason { get; } = reason;

    /// <summary>Builds the <c>meta/v1 Status</c> body that Kubernetes clients parse.</summary>
    public JsonObject ToStatus() => new()
    {
        ["kind"] = "Status",
        ["apiVersion"] = "v1",
        ["metadata"] = new JsonObject(),
        ["status"] = "Failure",
        ["message"] = Message,
        ["reason"] = Reason,
        ["code"] = Code,
    };
}
