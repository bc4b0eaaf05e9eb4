using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace Platform.Gateway.Tenants;

/// <summary>Readiness check: the gateway database opens and runs a query.</summary>
internal sealed class GatewayDatabaseHealthCheck : IHealthCheck
{
    private readonly GatewayDatabase _database;

    public GatewayDatabaseHealthCheck(GatewayDatabase database)
    {
        ArgumentNullException.ThrowIfNull(database);
        _database = database;
    }

    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        try
        {
            await using var connection = await _database.OpenAsync(cancellationToken);
            await using var command = connection.CreateCommand();
            command.CommandText = "SELECT count(*) FROM tenants";
            await command.ExecuteScalarAsync(cancellationToken);
            return HealthCheckResult.Healthy();
        }
        catch (SqliteException ex)
        {
            return HealthCheckResult.Unhealthy($"The gateway database '{_database.FilePath}' failed a query.", ex);
        }
    }
}
