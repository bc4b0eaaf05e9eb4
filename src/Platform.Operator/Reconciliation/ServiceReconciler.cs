using k8s;
using k8s.Models;
using Platform.Operator.Api;

namespace Platform.Operator.Reconciliation;

/// <summary>Keeps the tenant's ClusterIP Service: port 80 to the tracking server's port 5000.</summary>
public sealed class ServiceReconciler(IKubernetes client) : ITenantReconciler
{
    public const int Port = 80;

    public string ConditionType => ConditionTypes.Available;

    public string FailureReason => "ServiceFailed";

    public async Task ReconcileAsync(TenantContext context, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(context);
        var desired = Build(context);
        var ns = context.Namespace;
        await OwnedObjects.ApplyAsync(
            desired,
            ct => client.CoreV1.ReadNamespacedServiceAsync(desired.Metadata.Name, ns, cancellationToken: ct),
            (service, ct) => client.CoreV1.CreateNamespacedServiceAsync(service, ns, cancellationToken: ct),
            (service, ct) => client.CoreV1.ReplaceNamespacedServiceAsync(service, service.Metadata.Name, ns, cancellationToken: ct),
            KeepClusterIp,
            cancellationToken);
    }

    /// <summary>Returns the Service's in-cluster address.</summary>
    public static string Endpoint(TenantContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        return $"http://{context.Names.Workload}.{context.Namespace}.svc.cluster.local:{Port}";
    }

    public static V1Service Build(TenantContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        return new V1Service
        {
            ApiVersion = "v1",
            Kind = "Service",
            Metadata = context.OwnedMetadata(context.Names.Workload),
            Spec = new V1ServiceSpec
            {
                Type = "ClusterIP",
                Selector = context.SelectorLabels,
                Ports = [new V1ServicePort { Name = "http", Port = Port, TargetPort = "http", Protocol = "TCP" }],
            },
        };
    }

    // The API server allocates spec.clusterIP(s) and rejects an update that changes them.
    private static void KeepClusterIp(V1Service existing, V1Service desired)
    {
        desired.Spec.ClusterIP = existing.Spec?.ClusterIP;
        desired.Spec.ClusterIPs = existing.Spec?.ClusterIPs;
    }
}
