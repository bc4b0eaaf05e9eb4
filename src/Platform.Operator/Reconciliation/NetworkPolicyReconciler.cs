using k8s;
using k8s.Models;
using Microsoft.Extensions.Options;
using Platform.Operator.Api;
using Platform.Operator.Hosting;

namespace Platform.Operator.Reconciliation;

/// <summary>Keeps a NetworkPolicy that admits traffic to the tenant's pods only from the gateway's pods, on the server port.</summary>
public sealed class NetworkPolicyReconciler(IKubernetes client, IOptions<OperatorOptions> options) : ITenantReconciler
{
    public string ConditionType => ConditionTypes.Available;

    public string FailureReason => "NetworkPolicyFailed";

    public async Task ReconcileAsync(TenantContext context, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(context);
        var desired = Build(context, options.Value);
        var ns = context.Namespace;
        await OwnedObjects.ApplyAsync(
            desired,
            ct => client.NetworkingV1.ReadNamespacedNetworkPolicyAsync(desired.Metadata.Name, ns, cancellationToken: ct),
            (policy, ct) => client.NetworkingV1.CreateNamespacedNetworkPolicyAsync(policy, ns, cancellationToken: ct),
            (policy, ct) => client.NetworkingV1.ReplaceNamespacedNetworkPolicyAsync(policy, policy.Metadata.Name, ns, cancellationToken: ct),
            keepServerFields: null,
            cancellationToken);
    }

    public static V1NetworkPolicy Build(TenantContext context, OperatorOptions options)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(options);
        var gatewayNamespace = string.IsNullOrWhiteSpace(options.GatewayNamespace) ? context.Namespace : options.GatewayNamespace;
        return new V1NetworkPolicy
        {
            ApiVersion = "networking.k8s.io/v1",
            Kind = "NetworkPolicy",
            Metadata = context.OwnedMetadata(context.Names.Workload),
            Spec = new V1NetworkPolicySpec
            {
                PodSelector = new V1LabelSelector { MatchLabels = context.SelectorLabels },
                PolicyTypes = ["Ingress"],
                Ingress =
                [
                    new V1NetworkPolicyIngressRule
                    {
                        FromProperty =
                        [
                            new V1NetworkPolicyPeer
                            {
                                // Both selectors in one peer: gateway pods in the gateway's namespace, not gateway-labelled pods anywhere.
                                NamespaceSelector = new V1LabelSelector
                                {
                                    MatchLabels = new Dictionary<string, string>(StringComparer.Ordinal) { ["kubernetes.io/metadata.name"] = gatewayNamespace },
                                },
                                PodSelector = new V1LabelSelector { MatchLabels = new Dictionary<string, string>(options.GatewayPodLabels, StringComparer.Ordinal) },
                            },
                        ],
                        Ports = [new V1NetworkPolicyPort { Port = DeploymentReconciler.ContainerPort, Protocol = "TCP" }],
                    },
                ],
            },
        };
    }
}
