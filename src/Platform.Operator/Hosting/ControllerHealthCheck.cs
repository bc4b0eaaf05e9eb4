using Microsoft.Extensions.Diagnostics.HealthChecks;
using Platform.Operator.Controller;

namespace Platform.Operator.Hosting;

/// <summary>Ready when this replica is a standby, or when it leads and its informers have synced.</summary>
public sealed class ControllerHealthCheck(ControllerState state) : IHealthCheck
{
    public Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        if (!state.IsLeader)
        {
            return Task.FromResult(HealthCheckResult.Healthy("Standing by for the leader Lease."));
        }

        return Task.FromResult(state.IsSynced
            ? HealthCheckResult.Healthy("Leading; informers synced.")
            : HealthCheckResult.Unhealthy("Leading; informers have not listed everything yet."));
    }
}
