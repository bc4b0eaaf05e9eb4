using System.Collections.Concurrent;
using Microsoft.Extensions.Options;
using Platform.Gateway.Routing;
using Platform.Gateway.Tenants;

namespace Platform.Gateway.Runtime;

/// <summary>
/// One-machine tenant runtime: one tracking server child process per tenant, started at gateway
/// start and on tenant creation, stopped on deletion and on shutdown (including Ctrl-C, which stops the host).
/// </summary>
/// <remarks>
/// NOTE: a gateway killed with SIGKILL cannot stop its children. They keep running, with their ports
/// and database files, until they are stopped by hand.
/// </remarks>
internal sealed partial class LocalTenantRuntime : IHostedService, ITenantDestinations, IAsyncDisposable
{
    public const string HealthClientName = "tracking-health";

    private readonly TenantStore _tenants;
    private readonly GatewaySecret _secret;
    private readonly string _dataDirectory;
    private readonly string _serverPath;
    private readonly LocalRuntimeOptions _options;
    private readonly IHttpClientFactory _httpClientFactory;
    private readonly TimeProvider _time;
    private readonly ILogger<LocalTenantRuntime> _logger;
    private readonly ILoggerFactory _loggerFactory;
    private readonly ConcurrentDictionary<string, TenantProcess> _processes = new(StringComparer.Ordinal);
    private readonly SemaphoreSlim _changeLock = new(1, 1);
    private bool _stopped;

    public LocalTenantRuntime(
        TenantStore tenants,
        GatewaySecret secret,
        LocalRuntimePaths paths,
        IOptions<LocalRuntimeOptions> options,
        IHttpClientFactory httpClientFactory,
        TimeProvider time,
        ILoggerFactory loggerFactory)
    {
        ArgumentNullException.ThrowIfNull(tenants);
        ArgumentNullException.ThrowIfNull(secret);
        ArgumentNullException.ThrowIfNull(paths);
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(httpClientFactory);
        ArgumentNullException.ThrowIfNull(time);
        ArgumentNullException.ThrowIfNull(loggerFactory);

        _tenants = tenants;
        _secret = secret;
        _dataDirectory = paths.DataDirectory;
        _serverPath = paths.TrackingServerPath;
        _options = options.Value;
        _httpClientFactory = httpClientFactory;
        _time = time;
        _loggerFactory = loggerFactory;
        _logger = loggerFactory.CreateLogger<LocalTenantRuntime>();
    }

    public event Action? Changed;

    public string? Resolve(Tenant tenant)
    {
        ArgumentNullException.ThrowIfNull(tenant);
        return tenant.Destination ?? _processes.GetValueOrDefault(tenant.Name)?.Address;
    }

    /// <summary>Process id of the tenant's current tracking server, or null when none runs.</summary>
    public int? GetProcessId(string tenant) => _processes.GetValueOrDefault(tenant)?.ProcessId;

    /// <summary>Completes when the tenant's tracking server is healthy; throws <see cref="TimeoutException"/> after <paramref name="timeout"/>.</summary>
    public Task WaitForReadyAsync(string tenant, TimeSpan timeout, CancellationToken cancellationToken) =>
        _processes.TryGetValue(tenant, out var process)
            ? process.WaitForReadyAsync(timeout, cancellationToken)
            : Task.FromException(new InvalidOperationException($"Tenant '{tenant}' has no tracking server in this runtime."));

    public async Task StartAsync(CancellationToken cancellationToken)
    {
        Log.RuntimeStarting(_logger, _serverPath, _dataDirectory);
        _tenants.Changed += OnTenantChanged;
        foreach (var tenant in _tenants.List())
        {
            await ReconcileAsync(tenant.Name, cancellationToken);
        }
    }

    public async Task StopAsync(CancellationToken cancellationToken)
    {
        _tenants.Changed -= OnTenantChanged;
        await _changeLock.WaitAsync(cancellationToken);
        try
        {
            _stopped = true;
            var stopping = _processes.Values.Select(p => p.DisposeAsync().AsTask()).ToList();
            _processes.Clear();
            await Task.WhenAll(stopping);
        }
        finally
        {
            _changeLock.Release();
        }

        Log.RuntimeStopped(_logger);
    }

    public async ValueTask DisposeAsync()
    {
        if (!_stopped)
        {
            await StopAsync(CancellationToken.None);
        }

        _changeLock.Dispose();
    }

    private void OnTenantChanged(string tenant) =>
        _ = ReconcileSafelyAsync(tenant);

    private async Task ReconcileSafelyAsync(string tenant)
    {
        try
        {
            await ReconcileAsync(tenant, CancellationToken.None);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or InvalidOperationException)
        {
            Log.ReconcileFailed(_logger, tenant, ex);
        }
    }

    /// <summary>Starts a server for a registered tenant without one, or stops one whose tenant was deleted and archives its data.</summary>
    public async Task ReconcileAsync(string tenant, CancellationToken cancellationToken)
    {
        await _changeLock.WaitAsync(cancellationToken);
        try
        {
            if (_stopped)
            {
                return;
            }

            var registered = _tenants.Find(tenant);
            if (registered is not null && registered.Destination is null && !_processes.ContainsKey(tenant))
            {
                var directory = TenantDirectory(tenant);
                var launch = new TrackingServerLaunch(_serverPath, directory, _secret.Value);
                var process = new TenantProcess(
                    tenant, launch, _options, _httpClientFactory.CreateClient(HealthClientName), _loggerFactory.CreateLogger<TenantProcess>(), RaiseChanged);
                _processes[tenant] = process;
                process.Start();
            }
            else if (registered is null && _processes.TryRemove(tenant, out var stopped))
            {
                await stopped.DisposeAsync();
                ArchiveTenantData(tenant);
                RaiseChanged();
            }
        }
        finally
        {
            _changeLock.Release();
        }
    }

    // A deleted tenant's data is kept but moved aside, so a new tenant with the same name starts empty.
    private void ArchiveTenantData(string tenant)
    {
        var directory = TenantDirectory(tenant);
        if (!Directory.Exists(directory))
        {
            return;
        }

        var archive = Path.Combine(_dataDirectory, "deleted-tenants", $"{tenant}-{_time.GetUtcNow():yyyyMMddTHHmmssfffZ}");
        Directory.CreateDirectory(Path.GetDirectoryName(archive)!);
        Directory.Move(directory, archive);
        Log.TenantDataArchived(_logger, tenant, archive);
    }

    private string TenantDirectory(string tenant) => Path.Combine(_dataDirectory, "tenants", tenant);

    private void RaiseChanged() => Changed?.Invoke();

    private static partial class Log
    {
        [LoggerMessage(EventId = 2311, Level = LogLevel.Information, Message = "Local tenant runtime starting with tracking server {TrackingServerPath} and data folder {DataDirectory}")]
        public static partial void RuntimeStarting(ILogger logger, string trackingServerPath, string dataDirectory);

        [LoggerMessage(EventId = 2312, Level = LogLevel.Information, Message = "Local tenant runtime stopped all tracking servers")]
        public static partial void RuntimeStopped(ILogger logger);

        [LoggerMessage(EventId = 2313, Level = LogLevel.Information, Message = "Moved the data of deleted tenant {Tenant} to {ArchiveDirectory}")]
        public static partial void TenantDataArchived(ILogger logger, string tenant, string archiveDirectory);

        [LoggerMessage(EventId = 2314, Level = LogLevel.Error, Message = "Applying a change of tenant {Tenant} to the local runtime failed")]
        public static partial void ReconcileFailed(ILogger logger, string tenant, Exception exception);
    }
}
