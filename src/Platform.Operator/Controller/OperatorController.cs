using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net;
using k8s;
using k8s.Autorest;
using k8s.Models;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Platform.Operator.Api;
using Platform.Operator.Hosting;
using Platform.Operator.Reconciliation;

namespace Platform.Operator.Controller;

/// <summary>
/// The control loop of one leadership term: informers for TrackingServers and the owned kinds feed a
/// keyed work queue, and workers reconcile keys from it. A failed reconcile is retried with per-key
/// exponential backoff; a Ready one comes back after the resync period.
/// </summary>
public sealed partial class OperatorController(
    IKubernetes client,
    TrackingServerReconciler reconciler,
    ControllerState state,
    OperatorTelemetry telemetry,
    TimeProvider time,
    IOptions<OperatorOptions> options,
    ILogger<OperatorController> logger)
{
    /// <summary>Grace period for in-flight reconciles when leadership ends or the process stops.</summary>
    public static readonly TimeSpan ShutdownGracePeriod = TimeSpan.FromSeconds(10);

    /// <summary>Runs until <paramref name="cancellationToken"/> fires, then lets in-flight reconciles finish within the grace period.</summary>
    public async Task RunAsync(CancellationToken cancellationToken)
    {
        var settings = options.Value;
        using var queue = new WorkQueue(time, new ExponentialBackoff());
        var seenGenerations = new ConcurrentDictionary<string, (long Generation, bool Deleting)>(StringComparer.Ordinal);

        var trackingServers = InformerFactory.TrackingServers(client, settings.WatchNamespace, logger);
        trackingServers.Changed += (type, item) => OnTrackingServerChanged(queue, seenGenerations, type, item);

        var deployments = InformerFactory.Deployments(client, settings.WatchNamespace, logger);
        deployments.Changed += (_, item) => EnqueueOwner(queue, item);
        var services = InformerFactory.Services(client, settings.WatchNamespace, logger);
        services.Changed += (_, item) => EnqueueOwner(queue, item);
        var secrets = InformerFactory.Secrets(client, settings.WatchNamespace, logger);
        secrets.Changed += (_, item) => EnqueueOwner(queue, item);
        var policies = InformerFactory.NetworkPolicies(client, settings.WatchNamespace, logger);
        policies.Changed += (_, item) => EnqueueOwner(queue, item);

        Task[] informers =
        [
            trackingServers.RunAsync(cancellationToken),
            deployments.RunAsync(cancellationToken),
            services.RunAsync(cancellationToken),
            secrets.RunAsync(cancellationToken),
            policies.RunAsync(cancellationToken),
        ];

        using var reconcileStop = new CancellationTokenSource();
        using var registration = cancellationToken.Register(() =>
        {
            queue.ShutDown();
            reconcileStop.CancelAfter(ShutdownGracePeriod);
        });

        try
        {
            await Task.WhenAll(trackingServers.Synced, deployments.Synced, services.Synced, secrets.Synced, policies.Synced)
                .WaitAsync(cancellationToken);
            state.IsSynced = true;
            LogStarted(settings.Workers, string.IsNullOrEmpty(settings.WatchNamespace) ? "(all)" : settings.WatchNamespace);

            var workers = Enumerable.Range(0, settings.Workers)
                .Select(_ => WorkAsync(queue, trackingServers, reconcileStop.Token))
                .ToArray();
            await Task.WhenAll(workers);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            // Leadership ended before the informers synced; nothing was handed to workers.
        }
        finally
        {
            state.IsSynced = false;
            await Task.WhenAll(informers);
            LogStopped();
        }
    }

    private async Task WorkAsync(WorkQueue queue, ResourceInformer<TrackingServer, TrackingServerList> cache, CancellationToken cancellationToken)
    {
        while (await queue.GetAsync(CancellationToken.None) is { } key)
        {
            var started = Stopwatch.GetTimestamp();
            var outcome = "success";
            try
            {
                if (!cache.TryGet(key, out var resource) || resource is null)
                {
                    queue.Forget(key);
                    continue;
                }

                var result = await reconciler.ReconcileAsync(resource, cancellationToken);
                queue.Forget(key);
                if (result.RequeueAfter is { } delay)
                {
                    queue.AddAfter(key, delay);
                }
            }
            catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
            {
                outcome = "cancelled";
                return;
            }
            catch (HttpOperationException ex) when (ex.Response.StatusCode == HttpStatusCode.Conflict)
            {
                // Another writer moved the object on; retrying soon against the fresh cache is the normal path.
                outcome = "conflict";
                LogConflict(key, queue.AddRateLimited(key).TotalMilliseconds);
            }
            catch (Exception ex)
            {
                outcome = "error";
                LogReconcileFailed(key, queue.AddRateLimited(key).TotalMilliseconds, ex);
            }
            finally
            {
                queue.Done(key);
                state.CountReconcile();
                telemetry.RecordReconcile(outcome, Stopwatch.GetElapsedTime(started));
            }
        }
    }

    // Status writes do not move metadata.generation; skipping them stops the operator from waking itself up.
    private static void OnTrackingServerChanged(
        WorkQueue queue, ConcurrentDictionary<string, (long Generation, bool Deleting)> seen, WatchEventType type, TrackingServer item)
    {
        var key = ResourceInformer<TrackingServer, TrackingServerList>.KeyOf(item);
        if (type == WatchEventType.Deleted)
        {
            seen.TryRemove(key, out _);
            return;
        }

        var current = (item.Metadata.Generation ?? 0, item.Metadata.DeletionTimestamp is not null);
        if (seen.TryGetValue(key, out var previous) && previous == current)
        {
            return;
        }

        seen[key] = current;
        queue.Add(key);
    }

    private static void EnqueueOwner(WorkQueue queue, IKubernetesObject<V1ObjectMeta> item)
    {
        var owner = item.Metadata.OwnerReferences?.FirstOrDefault(r => r.Controller == true && r.Kind == TrackingServerApi.Kind && r.ApiVersion == TrackingServerApi.ApiVersion);
        if (owner is not null)
        {
            queue.Add($"{item.Metadata.NamespaceProperty}/{owner.Name}");
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Controller started with {Workers} workers, watching namespace {Namespace}")]
    private partial void LogStarted(int workers, string @namespace);

    [LoggerMessage(Level = LogLevel.Information, Message = "Controller stopped")]
    private partial void LogStopped();

    [LoggerMessage(Level = LogLevel.Debug, Message = "Reconcile of {Key} hit a conflict, retrying in {DelayMs} ms")]
    private partial void LogConflict(string key, double delayMs);

    [LoggerMessage(Level = LogLevel.Error, Message = "Reconcile of {Key} failed, retrying in {DelayMs} ms")]
    private partial void LogReconcileFailed(string key, double delayMs, Exception exception);
}
