using k8s;
using k8s.Autorest;
using k8s.Models;
using Microsoft.Extensions.Logging;
using Platform.Operator.Api;

namespace Platform.Operator.Reconciliation;

/// <summary>Records Kubernetes Events on TrackingServers. Events are best effort: a failed write is logged and dropped.</summary>
public sealed partial class EventRecorder(IKubernetes client, TimeProvider time, ILogger<EventRecorder> logger)
{
    public const string Component = "labplatform-operator";
    public const string Normal = "Normal";
    public const string Warning = "Warning";

    public async Task RecordAsync(TrackingServer resource, string type, string reason, string message, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(resource);
        var now = time.GetUtcNow().UtcDateTime;
        var ns = resource.Metadata.NamespaceProperty ?? "default";
        var kubernetesEvent = new Corev1Event
        {
            ApiVersion = "v1",
            Kind = "Event",
            Metadata = new V1ObjectMeta
            {
                Name = $"{resource.Metadata.Name}.{now.Ticks:x}{Random.Shared.Next(0x1000):x3}",
                NamespaceProperty = ns,
            },
            InvolvedObject = new V1ObjectReference
            {
                ApiVersion = TrackingServerApi.ApiVersion,
                Kind = TrackingServerApi.Kind,
                Name = resource.Metadata.Name,
                NamespaceProperty = ns,
                Uid = resource.Metadata.Uid,
                ResourceVersion = resource.Metadata.ResourceVersion,
            },
            Type = type,
            Reason = reason,
            Message = message,
            Source = new V1EventSource { Component = Component },
            ReportingComponent = Component,
            FirstTimestamp = now,
            LastTimestamp = now,
            Count = 1,
        };

        try
        {
            await client.CoreV1.CreateNamespacedEventAsync(kubernetesEvent, ns, cancellationToken: cancellationToken);
        }
        catch (HttpOperationException ex)
        {
            LogEventFailed(ns, resource.Metadata.Name, reason, (int)ex.Response.StatusCode, ex);
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Recording event {Reason} on TrackingServer {Namespace}/{Name} failed with HTTP {StatusCode}; the event is dropped")]
    private partial void LogEventFailed(string @namespace, string name, string reason, int statusCode, Exception exception);
}
