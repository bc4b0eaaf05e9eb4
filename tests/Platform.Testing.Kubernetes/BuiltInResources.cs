namespace Platform.Testing.Kubernetes;

/// <summary>The built-in resources that the test server serves before any CRD is applied.</summary>
internal static class BuiltInResources
{
    public static IReadOnlyList<ResourceType> All { get; } =
    [
        new("", "v1", "namespaces", "namespace", "Namespace", Namespaced: false, HasStatusSubresource: true) { ShortNames = ["ns"] },
        new("", "v1", "secrets", "secret", "Secret", Namespaced: true, HasStatusSubresource: false),
        new("", "v1", "services", "service", "Service", Namespaced: true, HasStatusSubresource: true)
        {
            ShortNames = ["svc"],
            Categories = ["all"],
            PrinterColumns = [new("Cluster-IP", "string", ".spec.clusterIP"), PrinterColumn.Age],
        },
        new("", "v1", "events", "event", "Event", Namespaced: true, HasStatusSubresource: false)
        {
            ShortNames = ["ev"],
            PrinterColumns = [new("Type", "string", ".type"), new("Reason", "string", ".reason"), new("Message", "string", ".message"), PrinterColumn.Age],
        },
        new("apps", "v1", "deployments", "deployment", "Deployment", Namespaced: true, HasStatusSubresource: true)
        {
            ShortNames = ["deploy"],
            Categories = ["all"],
            PrinterColumns = [new("Ready", "integer", ".status.readyReplicas"), new("Replicas", "integer", ".spec.replicas"), PrinterColumn.Age],
        },
        new("networking.k8s.io", "v1", "networkpolicies", "networkpolicy", "NetworkPolicy", Namespaced: true, HasStatusSubresource: false)
        {
            ShortNames = ["netpol"],
        },
        new("coordination.k8s.io", "v1", "leases", "lease", "Lease", Namespaced: true, HasStatusSubresource: false)
        {
            PrinterColumns = [new("Holder", "string", ".spec.holderIdentity"), PrinterColumn.Age],
        },
        new("apiextensions.k8s.io", "v1", "customresourcedefinitions", "customresourcedefinition", "CustomResourceDefinition", Namespaced: false, HasStatusSubresource: true)
        {
            ShortNames = ["crd", "crds"],
        },
    ];
}
