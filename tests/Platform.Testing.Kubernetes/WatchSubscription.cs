using System.Text.Json.Nodes;
using System.Threading.Channels;

namespace Platform.Testing.Kubernetes;

/// <summary>One open watch: its filters and the channel of serialized watch-event lines it has not sent yet.</summary>
internal sealed class WatchSubscription(ResourceType type, string? @namespace, LabelSelector labels, FieldSelector fields)
{
    public ResourceType Type { get; } = type;

    public Channel<string> Lines { get; } = Channel.CreateUnbounded<string>(new UnboundedChannelOptions { SingleReader = true });

    public bool Matches(string typeKey, JsonObject item) =>
        typeKey == Type.Key &&
        (@namespace is null || (string?)item["metadata"]?["namespace"] == @namespace) &&
        labels.Matches(item) &&
        fields.Matches(item);
}
