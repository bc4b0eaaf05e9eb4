using Platform.Tracking.Storage;

namespace Platform.Tracking.Hosting;

/// <summary>Applies the store's migrations before Kestrel starts taking requests.</summary>
internal sealed partial class StoreMigrationService : IHostedService
{
    private readonly ITrackingStore _store;
    private readonly ILogger<StoreMigrationService> _logger;
    private readonly string _storeDescription;

    public StoreMigrationService(ITrackingStore store, ILogger<StoreMigrationService> logger, StoreDescription description)
    {
        ArgumentNullException.ThrowIfNull(store);
        ArgumentNullException.ThrowIfNull(logger);
        ArgumentNullException.ThrowIfNull(description);

        _store = store;
        _logger = logger;
        _storeDescription = description.Text;
    }

    public async Task StartAsync(CancellationToken cancellationToken)
    {
        var started = System.Diagnostics.Stopwatch.GetTimestamp();
        try
        {
            await _store.MigrateAsync(cancellationToken);
        }
        catch (Exception ex) when (ex is System.Data.Common.DbException or IOException)
        {
            LogMigrationFailed(_logger, ex, _storeDescription);
            throw;
        }

        LogMigrated(_logger, _storeDescription, (long)System.Diagnostics.Stopwatch.GetElapsedTime(started).TotalMilliseconds);
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    [LoggerMessage(EventId = 3101, Level = LogLevel.Information, Message = "Store {Store} is migrated and ready in {DurationMs} ms")]
    private static partial void LogMigrated(ILogger logger, string store, long durationMs);

    [LoggerMessage(EventId = 3102, Level = LogLevel.Error, Message = "Migrating store {Store} failed; the server does not start")]
    private static partial void LogMigrationFailed(ILogger logger, Exception exception, string store);
}
