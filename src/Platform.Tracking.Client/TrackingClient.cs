using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace Platform.Tracking.Client;

/// <summary>
/// C# client of an MLflow-compatible tracking server, speaking MLflow's REST wire format. Thread-safe. Create one per
/// process (or take it from dependency injection) and share it.
/// </summary>
public sealed class TrackingClient : IDisposable
{
    private readonly MlflowTransport _transport;
    private readonly TrackingClientOptions _options;
    private readonly ILogger _logger;
    private readonly HttpClient? _ownedHttpClient;

    /// <summary>Creates a client with its own <see cref="HttpClient"/>, which it disposes.</summary>
    public TrackingClient(TrackingClientOptions options, ILoggerFactory? loggerFactory = null)
        : this(new HttpClient { Timeout = Timeout.InfiniteTimeSpan }, options, loggerFactory, null)
    {
        _ownedHttpClient = _transport.HttpClient;
    }

    /// <summary>
    /// Creates a client on a caller-owned <see cref="HttpClient"/> (for example from <c>IHttpClientFactory</c>). Give it an
    /// infinite <see cref="HttpClient.Timeout"/>: JSON calls use <see cref="TrackingClientOptions.RequestTimeout"/> per attempt,
    /// and artifact transfers of large files must not be cut off.
    /// </summary>
    public TrackingClient(HttpClient httpClient, TrackingClientOptions options, ILoggerFactory? loggerFactory = null, TimeProvider? timeProvider = null)
    {
        ArgumentNullException.ThrowIfNull(httpClient);
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        _options = options;
        _logger = (loggerFactory ?? NullLoggerFactory.Instance).CreateLogger<TrackingClient>();
        _transport = new MlflowTransport(httpClient, options, timeProvider ?? TimeProvider.System, _logger);
        Experiments = new ExperimentsClient(_transport);
        Runs = new RunsClient(_transport);
        Artifacts = new ArtifactsClient(_transport, _logger);
        Registry = new ModelRegistryClient(_transport, Runs);
        Models = new ModelResolver(Registry, Runs, Artifacts, options.ModelCacheDirectory, _transport.TrackingUri, _logger);
    }

    /// <summary>Creates a client from <c>MLFLOW_TRACKING_URI</c>, <c>MLFLOW_TRACKING_TOKEN</c> and the other MLflow variables.</summary>
    public static TrackingClient FromEnvironment(ILoggerFactory? loggerFactory = null) =>
        new(TrackingClientOptions.FromEnvironment(), loggerFactory);

    public Uri TrackingUri => _transport.TrackingUri;

    public ExperimentsClient Experiments { get; }

    public RunsClient Runs { get; }

    public ArtifactsClient Artifacts { get; }

    public ModelRegistryClient Registry { get; }

    /// <summary>Resolution and download of <c>models:/</c> URIs.</summary>
    public ModelResolver Models { get; }

    internal long NowMilliseconds => _transport.NowMilliseconds;

    /// <summary>
    /// Creates a run and returns it as a scope that ends FINISHED when disposed, or FAILED after <see cref="ActiveRun.MarkFailed"/>.
    /// Prefer <see cref="RunAsync(string, string?, Func{ActiveRun, Task}, IReadOnlyDictionary{string, string}?, CancellationToken)"/>,
    /// which marks the run failed when the body throws.
    /// </summary>
    public async Task<ActiveRun> StartRunAsync(
        string experimentId, string? runName = null, IReadOnlyDictionary<string, string>? tags = null, CancellationToken cancellationToken = default)
    {
        var run = await Runs.CreateAsync(experimentId, runName, tags, cancellationToken).ConfigureAwait(false);
        ClientLog.RunStarted(_logger, run.Info.RunId, run.Info.ExperimentId);
        return new ActiveRun(this, run, _options, _logger);
    }

    /// <summary>
    /// Runs <paramref name="body"/> inside a new run: the run ends FINISHED when the body completes and FAILED when it throws
    /// (the exception is rethrown), KILLED when the body is cancelled through <paramref name="cancellationToken"/>.
    /// </summary>
    public async Task RunAsync(
        string experimentId, string? runName, Func<ActiveRun, Task> body, IReadOnlyDictionary<string, string>? tags = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(body);
        await RunAsync<bool>(experimentId, runName, async run =>
        {
            await body(run).ConfigureAwait(false);
            return true;
        }, tags, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Runs <paramref name="body"/> inside a new run and returns its result. See the non-generic overload for the end status.</summary>
    public async Task<T> RunAsync<T>(
        string experimentId, string? runName, Func<ActiveRun, Task<T>> body, IReadOnlyDictionary<string, string>? tags = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(body);
        var run = await StartRunAsync(experimentId, runName, tags, cancellationToken).ConfigureAwait(false);
        T result;
        try
        {
            result = await body(run).ConfigureAwait(false);
        }
        catch (OperationCanceledException ex) when (cancellationToken.IsCancellationRequested)
        {
            await EndAfterErrorAsync(run, RunStatus.Killed, ex).ConfigureAwait(false);
            throw;
        }
        catch (Exception ex)
        {
            await EndAfterErrorAsync(run, RunStatus.Failed, ex).ConfigureAwait(false);
            throw;
        }

        await run.EndAsync(RunStatus.Finished, cancellationToken).ConfigureAwait(false);
        return result;
    }

    public void Dispose() => _ownedHttpClient?.Dispose();

    // The caller's token may be cancelled already, so ending the run uses its own, bounded, token.
    private static async Task EndAfterErrorAsync(ActiveRun run, RunStatus status, Exception error)
    {
        run.MarkFailed(error);
        await run.EndAbortedAsync(status).ConfigureAwait(false);
    }
}
