using Microsoft.Extensions.Logging;

namespace Platform.Tracking.Client;

/// <summary>
/// A started run as an async scope: metrics are buffered and flushed through <c>runs/log-batch</c>, and disposing ends the
/// run FINISHED, or FAILED after <see cref="MarkFailed"/> (KILLED when the exception passed to it is a cancellation). C# cannot see an exception that is leaving an
/// <c>await using</c> block, so either call <see cref="MarkFailed"/> from a catch block or use
/// <see cref="TrackingClient.RunAsync(string, string?, Func{ActiveRun, Task}, IReadOnlyDictionary{string, string}?, CancellationToken)"/>,
/// which does it for you:
/// <code>
/// await using var run = await client.StartRunAsync(experimentId, "train");
/// try { ... } catch (Exception ex) { run.MarkFailed(ex); throw; }
/// </code>
/// </summary>
public sealed class ActiveRun : IAsyncDisposable
{
    private readonly TrackingClient _client;
    private readonly MetricBuffer _metrics;
    private readonly ILogger _logger;
    private readonly SemaphoreSlim _endLock = new(1, 1);
    private readonly TimeSpan _abortedEndTimeout;
    private Exception? _failure;
    private RunStatus? _abortStatus;

    internal ActiveRun(TrackingClient client, Run run, TrackingClientOptions options, ILogger logger)
    {
        _client = client;
        _logger = logger;
        _abortedEndTimeout = options.AbortedRunEndTimeout;
        Info = run.Info;
        _metrics = new MetricBuffer(
            run.Info.RunId,
            (batch, cancellationToken) => client.Runs.LogBatchAsync(RunId, batch, cancellationToken: cancellationToken),
            options,
            logger);
    }

    /// <summary>Run metadata as returned by <c>runs/create</c>.</summary>
    public RunInfo Info { get; }

    public string RunId => Info.RunId;

    public string ExperimentId => Info.ExperimentId;

    /// <summary>Artifact root of the run, normally <c>mlflow-artifacts:/&lt;experiment_id&gt;/&lt;run_id&gt;/artifacts</c>.</summary>
    public string ArtifactUri => Info.ArtifactUri
        ?? throw new InvalidOperationException($"Run {RunId} has no artifact_uri; the tracking server did not return one from runs/create.");

    /// <summary>Status the run was ended with, or null while it is running.</summary>
    public RunStatus? EndStatus { get; private set; }

    /// <summary>The exception passed to <see cref="MarkFailed"/>, if any.</summary>
    public Exception? Failure => _failure;

    /// <summary>Number of metric points buffered and not yet sent.</summary>
    public int BufferedMetricCount => _metrics.Count;

    /// <summary>Buffers a metric point. <paramref name="timestamp"/> defaults to now, in milliseconds since the Unix epoch.</summary>
    public void LogMetric(string key, double value, long step = 0, long? timestamp = null)
    {
        _metrics.Add(CreateMetric(key, value, step, timestamp));
    }

    /// <summary>Buffers one point per entry of <paramref name="values"/>, all with the same step and timestamp.</summary>
    public void LogMetrics(IReadOnlyDictionary<string, double> values, long step = 0, long? timestamp = null)
    {
        ArgumentNullException.ThrowIfNull(values);
        var time = timestamp ?? _client.NowMilliseconds;
        foreach (var (key, value) in values)
        {
            _metrics.Add(CreateMetric(key, value, step, time));
        }
    }

    /// <summary>Buffers a metric point and waits for a flush when <see cref="TrackingClientOptions.MaxBufferedMetrics"/> points are waiting.</summary>
    public ValueTask LogMetricAsync(string key, double value, long step = 0, long? timestamp = null, CancellationToken cancellationToken = default) =>
        _metrics.AddAsync(CreateMetric(key, value, step, timestamp), cancellationToken);

    /// <summary>Sends every buffered metric point now.</summary>
    public Task FlushAsync(CancellationToken cancellationToken = default)
    {
        EnsureRunning();
        return _metrics.FlushAsync(cancellationToken);
    }

    public Task LogParamAsync(string key, string value, CancellationToken cancellationToken = default)
    {
        EnsureRunning();
        return _client.Runs.LogParamAsync(RunId, key, value, cancellationToken);
    }

    /// <summary>Logs many params through log-batch, 100 per request.</summary>
    public Task LogParamsAsync(IReadOnlyDictionary<string, string> parameters, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(parameters);
        EnsureRunning();
        return _client.Runs.LogBatchAsync(RunId, parameters: parameters.Select(p => new Param(p.Key, p.Value)).ToList(), cancellationToken: cancellationToken);
    }

    public Task SetTagAsync(string key, string value, CancellationToken cancellationToken = default)
    {
        EnsureRunning();
        return _client.Runs.SetTagAsync(RunId, key, value, cancellationToken);
    }

    /// <summary>Sets many tags through log-batch, 100 per request.</summary>
    public Task SetTagsAsync(IReadOnlyDictionary<string, string> tags, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(tags);
        EnsureRunning();
        return _client.Runs.LogBatchAsync(RunId, tags: tags.Select(t => new RunTag(t.Key, t.Value)).ToList(), cancellationToken: cancellationToken);
    }

    /// <summary>Uploads a local file into the run's artifacts under <paramref name="artifactPath"/> (a folder, or the root when null).</summary>
    public Task LogArtifactAsync(string localFile, string? artifactPath = null, CancellationToken cancellationToken = default) =>
        _client.Artifacts.UploadFileAsync(ArtifactUri, localFile, artifactPath, cancellationToken);

    /// <summary>Uploads the contents of a local folder, recursively, under <paramref name="artifactPath"/>.</summary>
    public Task LogArtifactsAsync(string localDirectory, string? artifactPath = null, CancellationToken cancellationToken = default) =>
        _client.Artifacts.UploadDirectoryAsync(ArtifactUri, localDirectory, artifactPath, cancellationToken);

    /// <summary>Streams <paramref name="content"/> to the artifact file <paramref name="artifactFilePath"/>.</summary>
    public Task LogArtifactAsync(Stream content, string artifactFilePath, CancellationToken cancellationToken = default) =>
        _client.Artifacts.UploadStreamAsync(ArtifactUri, content, artifactFilePath, cancellationToken);

    /// <summary>
    /// Makes disposal end the run FAILED, or KILLED when <paramref name="exception"/> is an
    /// <see cref="OperationCanceledException"/> that is not a timeout. Call it from a catch block that rethrows.
    /// </summary>
    public void MarkFailed(Exception? exception = null)
    {
        _failure = exception;
        _abortStatus = IsCancellation(exception) ? RunStatus.Killed : RunStatus.Failed;
    }

    /// <summary>
    /// Flushes the buffered metrics and sets the run's status and end time. Later calls do nothing. When the flush
    /// fails, the run is still ended and the flush error is thrown afterwards.
    /// </summary>
    public async Task EndAsync(RunStatus status = RunStatus.Finished, CancellationToken cancellationToken = default)
    {
        await _endLock.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            if (EndStatus is not null)
            {
                return;
            }

            // The background loop stops first, so the final flush below sends every buffered point.
            await _metrics.DisposeAsync().ConfigureAwait(false);
            Exception? flushError = null;
            try
            {
                await _metrics.FlushAsync(cancellationToken).ConfigureAwait(false);
            }
            catch (Exception ex) when (ex is not OperationCanceledException)
            {
                flushError = ex;
            }

            await _client.Runs.UpdateAsync(RunId, status, _client.NowMilliseconds, cancellationToken: cancellationToken).ConfigureAwait(false);
            EndStatus = status;
            ClientLog.RunEnded(_logger, RunId, status);
            if (flushError is not null)
            {
                throw flushError;
            }
        }
        finally
        {
            _endLock.Release();
        }
    }

    /// <summary>
    /// Ends the run FINISHED, or FAILED or KILLED after <see cref="MarkFailed"/>, unless it was already ended. Ending a
    /// failed or killed run gives up after <see cref="TrackingClientOptions.AbortedRunEndTimeout"/>.
    /// </summary>
    public async ValueTask DisposeAsync()
    {
        if (_abortStatus is not { } status)
        {
            await EndAsync(RunStatus.Finished).ConfigureAwait(false);
            return;
        }

        await EndAbortedAsync(status).ConfigureAwait(false);
    }

    /// <summary>
    /// Ends the run FAILED or KILLED within <see cref="TrackingClientOptions.AbortedRunEndTimeout"/>, logging instead of
    /// throwing when that fails, because the caller is already unwinding with its own exception.
    /// </summary>
    internal async Task EndAbortedAsync(RunStatus status)
    {
        using var timeout = new CancellationTokenSource(_abortedEndTimeout);
        try
        {
            await EndAsync(status, timeout.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (timeout.IsCancellationRequested)
        {
            ClientLog.RunEndTimedOut(_logger, RunId, status, _abortedEndTimeout.TotalSeconds);
        }
        catch (Exception ex)
        {
            ClientLog.RunEndFailed(_logger, ex, RunId, status);
        }
    }

    // An HttpClient timeout surfaces as a TaskCanceledException around a TimeoutException. That is a failure, not a cancellation.
    private static bool IsCancellation(Exception? exception) =>
        exception is OperationCanceledException && exception.InnerException is not TimeoutException;

    private Metric CreateMetric(string key, double value, long step, long? timestamp)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(key);
        EnsureRunning();
        return new Metric(key, value, timestamp ?? _client.NowMilliseconds, step);
    }

    private void EnsureRunning()
    {
        if (EndStatus is { } status)
        {
            throw new InvalidOperationException($"Run {RunId} already ended with status {status}; start a new run to log more.");
        }
    }
}
