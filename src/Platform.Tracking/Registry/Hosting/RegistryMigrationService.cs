using Platform.Tracking.Registry.Storage;

namespace Platform.Tracking.Registry.Hosting;

/// <summary>
/// Applies the registry's migrations before Kestrel takes requests. It is registered after the tracking store's
/// migration service, and hosted services start in registration order, so the tenant schema exists by then.
/// </summary>
internal sealed partial class RegistryMigrationService : IHostedService
{
    private readonly IModelRegistryStore _store;
    private readonly ILogger<RegistryMigrationService> _logger;

    public RegistryMigrationService(IModelRegistryStore store, ILogger<RegistryMigrationService> logger)
    {
        ArgumentNullException.ThrowIfNull(store);
        ArgumentNullException.ThrowIfNull(logger);

        _store = store;
        _logger = logger;
    }

    public async Task StartAsync(CancellationToken cancellationToken)
    {
        var started = System.Diagnostics.Stopwatch.GetTimestamp();
        try
        {
            await _store.MigrateAsync(cancellationToken);
        }
        catch (Exception ex) when (ex is System.Data.Common.DbException or InvalidOperationException)
        {
            LogMigrationFailed(_logger, ex);
            throw;
        }

        LogMigrated(_logger, (long)System.Diagnostics.Stopwatch.GetElapsedTime(started).TotalMilliseconds);
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    [LoggerMessage(EventId = 3211, Level = LogLevel.Information, Message = "Model registry tables are migrated in {DurationMs} ms")]
    private static partial void LogMigrated(ILogger logger, long durationMs);

    [LoggerMessage(EventId = 3212, Level = LogLevel.Error, Message = "Migrating the model registry tables failed; the server does not start")]
    private static partial void LogMigrationFailed(ILogger logger, Exception exception);
}
