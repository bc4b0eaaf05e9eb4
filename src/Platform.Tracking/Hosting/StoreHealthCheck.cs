using Microsoft.Extensions.Diagnostics.HealthChecks;
using Platform.Tracking.Storage;

namespace Platform.Tracking.Hosting;

/// <summary>Readiness check that the metadata database responds to a trivial query.</summary>
internal sealed class StoreHealthCheck : IHealthCheck
{
    private readonly ITrackingStore _store;

    public StoreHealthCheck(ITrackingStore store)
    {
        ArgumentNullException.ThrowIfNull(store);

        _store = store;
    }

    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        try
        {
            await _store.PingAsync(cancellationToken);
            return HealthCheckResult.Healthy();
        }
        catch (System.Data.Common.DbException ex)
        {
            return HealthCheckResult.Unhealthy("The metadata database does not answer.", ex);
        }
    }
}
