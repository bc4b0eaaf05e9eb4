using System.Text.Json;
using k8s;
using k8s.Models;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Platform.Operator.Api;
using Platform.Operator.Hosting;

namespace Platform.Operator.Reconciliation;

/// <summary>
/// Reconciles one TrackingServer, level-triggered: every call computes the whole desired state from the
/// current object, whatever event caused it. A deleted TrackingServer gets the cleanup of its deletion
/// policy, then loses the finalizer. Otherwise the finalizer is added first, each concern is applied in
/// order (Secrets, database, storage, Deployment, Service, NetworkPolicy), and status is written last.
/// </summary>
public sealed partial class TrackingServerReconciler
{
    private readonly IKubernetes _client;
    private readonly IReadOnlyList<ITenantReconciler> _steps;
    private readonly StatusReconciler _status;
    private readonly DeletionReconciler _deletion;
    private readonly OperatorOptions _options;
    private readonly ILogger<TrackingServerReconciler> _logger;

    public TrackingServerReconciler(
        IKubernetes client,
        SecretReconciler secrets,
        DatabaseReconciler database,
        StorageReconciler storage,
        DeploymentReconciler deployment,
        ServiceReconciler service,
        NetworkPolicyReconciler networkPolicy,
        StatusReconciler status,
        DeletionReconciler deletion,
        IOptions<OperatorOptions> options,
        ILogger<TrackingServerReconciler> logger)
    {
        ArgumentNullException.ThrowIfNull(client);
        ArgumentNullException.ThrowIfNull(options);

        _client = client;
        _steps = [secrets, database, storage, deployment, service, networkPolicy];
        _status = status;
        _deletion = deletion;
        _options = options.Value;
        _logger = logger;
    }

    public async Task<ReconcileResult> ReconcileAsync(TrackingServer resource, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(resource);
        var ns = resource.Metadata.NamespaceProperty ?? "default";
        var name = resource.Metadata.Name;

        if (resource.Metadata.DeletionTimestamp is not null)
        {
            // The cache can lag behind the finalizer removal of a previous run, so confirm with a fresh read
            // before cleaning up again (and recording a second Event).
            var fresh = await ReadAsync(ns, name, cancellationToken);
            if (fresh is null || !HasFinalizer(fresh))
            {
                return ReconcileResult.Done;
            }

            resource = fresh;
            await _deletion.ReconcileAsync(new TenantContext(resource), cancellationToken);
            await PatchFinalizersAsync(resource, resource.Metadata.Finalizers.Where(f => f != TrackingServerApi.Finalizer).ToList(), cancellationToken);
            LogFinalized(ns, name);
            return ReconcileResult.Done;
        }

        if (!HasFinalizer(resource))
        {
            resource = await PatchFinalizersAsync(resource, [.. resource.Metadata.Finalizers ?? [], TrackingServerApi.Finalizer], cancellationToken);
        }

        var context = new TenantContext(resource);
        var failures = new List<Exception>();
        foreach (var step in _steps)
        {
            try
            {
                await step.ReconcileAsync(context, cancellationToken);
            }
            catch (Exception ex) when (ex is not OperationCanceledException)
            {
                LogStepFailed(ns, name, step.GetType().Name, ex);
                context.Observe(step.ConditionType, ready: false, step.FailureReason, $"{step.GetType().Name} failed: {ex.Message}");
                failures.Add(ex);
            }
        }

        var status = await _status.ReconcileAsync(context, cancellationToken);
        if (failures.Count > 0)
        {
            throw new ReconcileFailedException($"Reconciling TrackingServer {ns}/{name} failed in {failures.Count} step(s).", failures);
        }

        var ready = status.Conditions?.Any(c => c.Type == ConditionTypes.Ready && c.Status == "True") == true;
        LogReconciled(ns, name, context.Generation, ready);
        return ready ? new ReconcileResult(_options.ResyncPeriod) : ReconcileResult.Done;
    }

    private async Task<TrackingServer?> ReadAsync(string ns, string name, CancellationToken cancellationToken)
    {
        var item = await OwnedObjects.ReadOrNullAsync(
            ct => _client.CustomObjects.GetNamespacedCustomObjectAsync(TrackingServerApi.Group, TrackingServerApi.Version, ns, TrackingServerApi.Plural, name, ct),
            cancellationToken);
        return item is null ? null : ToTrackingServer(item);
    }

    private static TrackingServer ToTrackingServer(object item) =>
        item is JsonElement element
            ? KubernetesJson.Deserialize<TrackingServer>(element.GetRawText())
            : KubernetesJson.Deserialize<TrackingServer>(KubernetesJson.Serialize(item));

    private static bool HasFinalizer(TrackingServer resource) =>
        resource.Metadata.Finalizers?.Contains(TrackingServerApi.Finalizer) == true;

    // The resourceVersion in the patch makes it conditional, so a concurrent change fails with 409 and is retried.
    private async Task<TrackingServer> PatchFinalizersAsync(TrackingServer resource, IList<string> finalizers, CancellationToken cancellationToken)
    {
        var body = new { metadata = new { finalizers, resourceVersion = resource.Metadata.ResourceVersion } };
        var result = await _client.CustomObjects.PatchNamespacedCustomObjectAsync(
            new V1Patch(body, V1Patch.PatchType.MergePatch),
            TrackingServerApi.Group, TrackingServerApi.Version, resource.Metadata.NamespaceProperty, TrackingServerApi.Plural, resource.Metadata.Name,
            cancellationToken: cancellationToken);
        return ToTrackingServer(result);
    }

    [LoggerMessage(Level = LogLevel.Debug, Message = "Reconciled TrackingServer {Namespace}/{Name} at generation {Generation}; ready: {Ready}")]
    private partial void LogReconciled(string @namespace, string name, long generation, bool ready);

    [LoggerMessage(Level = LogLevel.Information, Message = "Removed the finalizer of TrackingServer {Namespace}/{Name} after cleanup")]
    private partial void LogFinalized(string @namespace, string name);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Step {Step} of TrackingServer {Namespace}/{Name} failed; the reconcile will be retried")]
    private partial void LogStepFailed(string @namespace, string name, string step, Exception exception);
}
