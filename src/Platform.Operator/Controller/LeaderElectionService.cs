using k8s;
using k8s.LeaderElection;
using k8s.LeaderElection.ResourceLock;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Platform.Operator.Hosting;

namespace Platform.Operator.Controller;

/// <summary>
/// Runs the controller only while this replica holds the <c>coordination.k8s.io/v1</c> Lease, so two or more
/// replicas are safe: one reconciles, the others wait to take over.
/// </summary>
public sealed partial class LeaderElectionService(
    IKubernetes client,
    OperatorController controller,
    ControllerState state,
    IOptions<OperatorOptions> options,
    ILogger<LeaderElectionService> logger) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var settings = options.Value;
        var identity = string.IsNullOrWhiteSpace(settings.Identity)
            ? $"{Environment.MachineName}-{Guid.NewGuid().ToString("N")[..8]}"
            : settings.Identity;
        var leaseLock = new LeaseLock(client, settings.LeaseNamespace, settings.LeaseName, identity);
        using var elector = new LeaderElector(new LeaderElectionConfig(leaseLock)
        {
            LeaseDuration = settings.LeaseDuration,
            RenewDeadline = settings.RenewDeadline,
            RetryPeriod = settings.RetryPeriod,
        });

        CancellationTokenSource? term = null;
        Task running = Task.CompletedTask;
        elector.OnStartedLeading += () =>
        {
            LogStartedLeading(identity, settings.LeaseNamespace, settings.LeaseName);
            state.IsLeader = true;
            term = CancellationTokenSource.CreateLinkedTokenSource(stoppingToken);
            running = Task.Run(() => controller.RunAsync(term.Token), CancellationToken.None);
        };
        elector.OnStoppedLeading += () =>
        {
            LogStoppedLeading(identity);
            state.IsLeader = false;
            term?.Cancel();
        };
        elector.OnNewLeader += leader => LogNewLeader(leader);
        elector.OnError += ex => LogElectionError(ex);

        try
        {
            await elector.RunAndTryToHoldLeadershipForeverAsync(stoppingToken);
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            // The host is stopping; the controller gets its grace period below.
        }
        finally
        {
            term?.Cancel();
            await running;
            term?.Dispose();
            state.IsLeader = false;
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Became leader as {Identity} with Lease {LeaseNamespace}/{LeaseName}")]
    private partial void LogStartedLeading(string identity, string leaseNamespace, string leaseName);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Lost leadership as {Identity}; the controller stops and this replica waits for the Lease")]
    private partial void LogStoppedLeading(string identity);

    [LoggerMessage(Level = LogLevel.Information, Message = "Leader is now {Leader}")]
    private partial void LogNewLeader(string leader);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Leader election failed to read or write the Lease; retrying")]
    private partial void LogElectionError(Exception exception);
}
