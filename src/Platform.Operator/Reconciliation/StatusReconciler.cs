using k8s;
using k8s.Models;
using Microsoft.Extensions.Options;
using Platform.Operator.Api;
using Platform.Operator.Hosting;

namespace Platform.Operator.Reconciliation;

/// <summary>
/// Turns a reconcile's observations into <c>status</c>: one condition per type with the generation it was
/// computed from, a Ready summary, and the tenant's addresses. It writes through the status subresource
/// only when something changed, and records an Event when Ready changes.
/// </summary>
public sealed class StatusReconciler(IKubernetes client, EventRecorder events, TimeProvider time, IOptions<OperatorOptions> options)
{
    private static readonly string[] ComponentConditions = [ConditionTypes.DatabaseReady, ConditionTypes.StorageReady, ConditionTypes.Available];

    /// <summary>Computes the desired status from <paramref name="context"/>, writes it when it differs, and returns it.</summary>
    public async Task<TrackingServerStatus> ReconcileAsync(TenantContext context, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(context);
        var previous = context.Resource.Status;
        var desired = Build(context, previous);
        if (previous is not null && KubernetesJson.Serialize(desired) == KubernetesJson.Serialize(previous))
        {
            return desired;
        }

        var patch = new V1Patch(new { status = desired }, V1Patch.PatchType.MergePatch);
        await client.CustomObjects.PatchNamespacedCustomObjectStatusAsync(
            patch, TrackingServerApi.Group, TrackingServerApi.Version, context.Namespace, TrackingServerApi.Plural, context.Name,
            cancellationToken: cancellationToken);

        await RecordReadyTransitionAsync(context, previous, desired, cancellationToken);
        return desired;
    }

    /// <summary>Builds the status without writing it; public for tests.</summary>
    public TrackingServerStatus Build(TenantContext context, TrackingServerStatus? previous)
    {
        ArgumentNullException.ThrowIfNull(context);
        var conditions = new List<V1Condition>();
        foreach (var type in ComponentConditions)
        {
            var observation = context.Observations.TryGetValue(type, out var seen)
                ? seen
                : new ConditionObservation(false, "Reconciling", "The operator has not observed this yet.");
            conditions.Add(MakeCondition(type, observation, context.Generation, previous));
        }

        var notReady = conditions.FirstOrDefault(c => c.Status != "True");
        var summary = notReady is null
            ? new ConditionObservation(true, "Ready", "The tracking server is ready.")
            : new ConditionObservation(false, notReady.Reason, $"{notReady.Type} is {notReady.Status}: {notReady.Message}");
        conditions.Insert(0, MakeCondition(ConditionTypes.Ready, summary, context.Generation, previous));

        return new TrackingServerStatus
        {
            Conditions = conditions,
            Url = SecretReconciler.TrackingUrl(options.Value.GatewayBaseUrl, context.Name),
            ServiceEndpoint = ServiceReconciler.Endpoint(context),
            DatabaseSchema = context.DatabaseNames.Schema,
            BucketPrefix = context.BucketPrefix,
            ObservedGeneration = context.Generation,
        };
    }

    private V1Condition MakeCondition(string type, ConditionObservation observation, long generation, TrackingServerStatus? previous)
    {
        var status = observation.Ready ? "True" : "False";
        var before = previous?.Conditions?.FirstOrDefault(c => c.Type == type);

        // lastTransitionTime moves only when the status flips, as the API conventions define it.
        var transitionTime = before is not null && before.Status == status && before.LastTransitionTime is { } kept
            ? kept
            : TruncateToSeconds(time.GetUtcNow().UtcDateTime);
        return new V1Condition
        {
            Type = type,
            Status = status,
            Reason = observation.Reason,
            Message = observation.Message,
            LastTransitionTime = transitionTime,
            ObservedGeneration = generation,
        };
    }

    private async Task RecordReadyTransitionAsync(TenantContext context, TrackingServerStatus? previous, TrackingServerStatus desired, CancellationToken cancellationToken)
    {
        var before = previous?.Conditions?.FirstOrDefault(c => c.Type == ConditionTypes.Ready);
        var after = desired.Conditions!.First(c => c.Type == ConditionTypes.Ready);
        if (before?.Status == after.Status && before.Reason == after.Reason)
        {
            return;
        }

        if (after.Status == "True")
        {
            await events.RecordAsync(context.Resource, EventRecorder.Normal, "Ready", $"TrackingServer is ready at {desired.Url}.", cancellationToken);
        }
        else
        {
            var type = after.Reason is "Reconciling" or "ReplicasNotReady" or "Suspended" ? EventRecorder.Normal : EventRecorder.Warning;
            await events.RecordAsync(context.Resource, type, after.Reason, after.Message, cancellationToken);
        }
    }

    // RFC 3339 timestamps in the API carry whole seconds; truncating keeps the comparison with the stored status stable.
    private static DateTime TruncateToSeconds(DateTime value) =>
        new(value.Ticks - (value.Ticks % TimeSpan.TicksPerSecond), DateTimeKind.Utc);
}
