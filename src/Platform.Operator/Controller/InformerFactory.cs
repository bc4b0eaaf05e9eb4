using System.Text.Json;
using k8s;
using k8s.Models;
using Microsoft.Extensions.Logging;
using Platform.Operator.Api;

namespace Platform.Operator.Controller;

/// <summary>Builds the informers the operator runs: TrackingServers, and the owned kinds selected by the managed-by label.</summary>
public static class InformerFactory
{
    // Real API servers end watches after 5-10 minutes anyway; asking for 5 keeps reconnects predictable.
    private const int WatchTimeoutSeconds = 300;

    private static readonly TimeSpan RetryDelay = TimeSpan.FromSeconds(1);

    private static string OwnedSelector => $"app.kubernetes.io/managed-by={TrackingServerApi.ManagedBy}";

    /// <summary>TrackingServers in <paramref name="ns"/>, or in every namespace when it is empty.</summary>
    public static ResourceInformer<TrackingServer, TrackingServerList> TrackingServers(IKubernetes client, string ns, ILogger logger)
    {
        ArgumentNullException.ThrowIfNull(client);
        const string group = TrackingServerApi.Group;
        const string version = TrackingServerApi.Version;
        const string plural = TrackingServerApi.Plural;
        if (string.IsNullOrEmpty(ns))
        {
            return new ResourceInformer<TrackingServer, TrackingServerList>(
                plural,
                ct => client.CustomObjects.ListClusterCustomObjectWithHttpMessagesAsync<TrackingServerList>(group, version, plural, cancellationToken: ct),
                (rv, onError, ct) => Typed<TrackingServer>(client.CustomObjects.WatchListClusterCustomObjectAsync(
                    group, version, plural, allowWatchBookmarks: true, resourceVersion: rv, timeoutSeconds: WatchTimeoutSeconds, onError: onError, cancellationToken: ct)),
                logger,
                RetryDelay,
                WithoutManagedFields);
        }

        return new ResourceInformer<TrackingServer, TrackingServerList>(
            plural,
            ct => client.CustomObjects.ListNamespacedCustomObjectWithHttpMessagesAsync<TrackingServerList>(group, version, ns, plural, cancellationToken: ct),
            (rv, onError, ct) => Typed<TrackingServer>(client.CustomObjects.WatchListNamespacedCustomObjectAsync(
                group, version, ns, plural, allowWatchBookmarks: true, resourceVersion: rv, timeoutSeconds: WatchTimeoutSeconds, onError: onError, cancellationToken: ct)),
            logger,
            RetryDelay,
            WithoutManagedFields);
    }

    public static ResourceInformer<V1Deployment, V1DeploymentList> Deployments(IKubernetes client, string ns, ILogger logger)
    {
        ArgumentNullException.ThrowIfNull(client);
        return string.IsNullOrEmpty(ns)
            ? new("deployments",
                ct => client.AppsV1.ListDeploymentForAllNamespacesWithHttpMessagesAsync(labelSelector: OwnedSelector, cancellationToken: ct),
                (rv, onError, ct) => client.AppsV1.WatchListDeploymentForAllNamespacesAsync(allowWatchBookmarks: true, labelSelector: OwnedSelector, resourceVersion: rv, timeoutSeconds: WatchTimeoutSeconds, onError: onError, cancellationToken: ct),
                logger, RetryDelay, OwnerMetadataOnly)
            : new("deployments",
                ct => client.AppsV1.ListNamespacedDeploymentWithHttpMessagesAsync(ns, labelSelector: OwnedSelector, cancellationToken: ct),
                (rv, onError, ct) => client.AppsV1.WatchListNamespacedDeploymentAsync(ns, allowWatchBookmarks: true, labelSelector: OwnedSelector, resourceVersion: rv, timeoutSeconds: WatchTimeoutSeconds, onError: onError, cancellationToken: ct),
                logger, RetryDelay, OwnerMetadataOnly);
    }

    public static ResourceInformer<V1Service, V1ServiceList> Services(IKubernetes client, string ns, ILogger logger)
    {
        ArgumentNullException.ThrowIfNull(client);
        return string.IsNullOrEmpty(ns)
            ? new("services",
                ct => client.CoreV1.ListServiceForAllNamespacesWithHttpMessagesAsync(labelSelector: OwnedSelector, cancellationToken: ct),
                (rv, onError, ct) => client.CoreV1.WatchListServiceForAllNamespacesAsync(allowWatchBookmarks: true, labelSelector: OwnedSelector, resourceVersion: rv, timeoutSeconds: WatchTimeoutSeconds, onError: onError, cancellationToken: ct),
                logger, RetryDelay, OwnerMetadataOnly)
            : new("services",
                ct => client.CoreV1.ListNamespacedServiceWithHttpMessagesAsync(ns, labelSelector: OwnedSelector, cancellationToken: ct),
                (rv, onError, ct) => client.CoreV1.WatchListNamespacedServiceAsync(ns, allowWatchBookmarks: true, labelSelector: OwnedSelector, resourceVersion: rv, timeoutSeconds: WatchTimeoutSeconds, onError: onError, cancellationToken: ct),
                logger, RetryDelay, OwnerMetadataOnly);
    }

    public static ResourceInformer<V1Secret, V1SecretList> Secrets(IKubernetes client, string ns, ILogger logger)
    {
        ArgumentNullException.ThrowIfNull(client);
        return string.IsNullOrEmpty(ns)
            ? new("secrets",
                ct => client.CoreV1.ListSecretForAllNamespacesWithHttpMessagesAsync(labelSelector: OwnedSelector, cancellationToken: ct),
                (rv, onError, ct) => client.CoreV1.WatchListSecretForAllNamespacesAsync(allowWatchBookmarks: true, labelSelector: OwnedSelector, resourceVersion: rv, timeoutSeconds: WatchTimeoutSeconds, onError: onError, cancellationToken: ct),
                logger, RetryDelay, OwnerMetadataOnly)
            : new("secrets",
                ct => client.CoreV1.ListNamespacedSecretWithHttpMessagesAsync(ns, labelSelector: OwnedSelector, cancellationToken: ct),
                (rv, onError, ct) => client.CoreV1.WatchListNamespacedSecretAsync(ns, allowWatchBookmarks: true, labelSelector: OwnedSelector, resourceVersion: rv, timeoutSeconds: WatchTimeoutSeconds, onError: onError, cancellationToken: ct),
                logger, RetryDelay, OwnerMetadataOnly);
    }

    public static ResourceInformer<V1NetworkPolicy, V1NetworkPolicyList> NetworkPolicies(IKubernetes client, string ns, ILogger logger)
    {
        ArgumentNullException.ThrowIfNull(client);
        return string.IsNullOrEmpty(ns)
            ? new("networkpolicies",
                ct => client.NetworkingV1.ListNetworkPolicyForAllNamespacesWithHttpMessagesAsync(labelSelector: OwnedSelector, cancellationToken: ct),
                (rv, onError, ct) => client.NetworkingV1.WatchListNetworkPolicyForAllNamespacesAsync(allowWatchBookmarks: true, labelSelector: OwnedSelector, resourceVersion: rv, timeoutSeconds: WatchTimeoutSeconds, onError: onError, cancellationToken: ct),
                logger, RetryDelay, OwnerMetadataOnly)
            : new("networkpolicies",
                ct => client.NetworkingV1.ListNamespacedNetworkPolicyWithHttpMessagesAsync(ns, labelSelector: OwnedSelector, cancellationToken: ct),
                (rv, onError, ct) => client.NetworkingV1.WatchListNamespacedNetworkPolicyAsync(ns, allowWatchBookmarks: true, labelSelector: OwnedSelector, resourceVersion: rv, timeoutSeconds: WatchTimeoutSeconds, onError: onError, cancellationToken: ct),
                logger, RetryDelay, OwnerMetadataOnly);
    }

    // Workers read TrackingServers from the cache, but never their managedFields, which can be larger than the rest
    // of the object. Updates of TrackingServers are merge patches, so the missing field is never written back.
    private static TrackingServer WithoutManagedFields(TrackingServer item)
    {
        item.Metadata.ManagedFields = null;
        return item;
    }

    // The owned-kind informers only map events to the owning TrackingServer (reconcilers read owned objects from
    // the API server), so their caches keep the identity and owner references and drop spec, status and data.
    private static T OwnerMetadataOnly<T>(T item)
        where T : class, IKubernetesObject<V1ObjectMeta>, new() =>
        new()
        {
            ApiVersion = item.ApiVersion,
            Kind = item.Kind,
            Metadata = new V1ObjectMeta
            {
                Name = item.Metadata.Name,
                NamespaceProperty = item.Metadata.NamespaceProperty,
                Uid = item.Metadata.Uid,
                ResourceVersion = item.Metadata.ResourceVersion,
                OwnerReferences = item.Metadata.OwnerReferences,
            },
        };

    // The custom-object watch yields untyped JSON; convert each object to the resource type.
    private static async IAsyncEnumerable<(WatchEventType Type, T Object)> Typed<T>(IAsyncEnumerable<(WatchEventType Type, object Object)> source)
    {
        await foreach (var (type, item) in source)
        {
            var json = item is JsonElement element ? element.GetRawText() : KubernetesJson.Serialize(item);
            yield return (type, KubernetesJson.Deserialize<T>(json));
        }
    }
}
