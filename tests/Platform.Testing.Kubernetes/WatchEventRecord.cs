using System.Text.Json.Nodes;

namespace Platform.Testing.Kubernetes;

/// <summary>An event kept in the bounded history so that a watch can resume from a resourceVersion.</summary>
internal sealed record WatchEventRecord(long ResourceVersion, string TypeKey, string EventType, JsonObject Object)
{
    public string ToLine() => new JsonObject { ["type"] = EventType, ["object"] = Object.DeepClone() }.ToJsonString(JsonOutput.Options);
}
