using Microsoft.Extensions.Logging;

namespace Platform.Tracking.Client;

/// <summary>
/// Buffer of metric points of one run, sent through <c>runs/log-batch</c> by a background loop: full batches as soon as
/// they fill, everything else every flush interval. Sends are serialised, so points reach the server in logging order.
/// </summary>
internal sealed class MetricBuffer : IAsyncDisposable
{
    private readonly object _gate = new();
    private readonly SemaphoreSlim _flushLock = new(1, 1);
    private readonly SemaphoreSlim _wakeUp = new(0, 1);
    private readonly CancellationTokenSource _stopping = new();
    private readonly Func<IReadOnlyList<Metric>, CancellationToken, Task> _sendBatch;
    private readonly int _batchSize;
    private readonly int _maxBuffered;
    private readonly TimeSpan _flushInterval;
    private readonly string _runId;
    private readonly ILogger _logger;
    private readonly Task _backgroundLoop;
    private List<Metric> _pending = [];
    private Exception? _rejection;

    public MetricBuffer(
        string runId,
        Func<IReadOnlyList<Metric>, CancellationToken, Task> sendBatch,
        TrackingClientOptions options,
        ILogger logger)
    {
        _runId = runId;
        _sendBatch = sendBatch;
        _batchSize = options.MaxMetricsPerBatch;
        _maxBuffered = options.MaxBufferedMetrics;
        _flushInterval = options.MetricFlushInterval;
        _logger = logger;
        _backgroundLoop = Task.Run(RunBackgroundLoopAsync);
    }

    /// <summary>Number of points not yet sent.</summary>
    public int Count
    {
        get
        {
            lock (_gate)
            {
                return _pending.Count;
            }
        }
    }

    public void Add(Metric metric)
    {
        int count;
        lock (_gate)
        {
            _pending.Add(metric);
            count = _pending.Count;
        }

        if (count >= _batchSize)
        {
            WakeUp();
        }
    }

    /// <summary>Adds a point and, when the buffer is over its bound, waits until it has been flushed.</summary>
    public async ValueTask AddAsync(Metric metric, CancellationToken cancellationToken)
    {
        Add(metric);
        if (Count >= _maxBuffered)
        {
            await FlushAsync(cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>
    /// Sends every buffered point. Throws the server's error when it rejected a batch (including a batch sent in
    /// the background since the last flush), because those points are dropped and would otherwise be lost silently.
    /// </summary>
    public async Task FlushAsync(CancellationToken cancellationToken)
    {
        await SendPendingAsync(fullBatchesOnly: false, cancellationToken).ConfigureAwait(false);
        if (Interlocked.Exchange(ref _rejection, null) is { } rejection)
        {
            throw rejection;
        }
    }

    /// <summary>Stops the background loop. <see cref="FlushAsync"/> still works afterwards. Buffered points are kept.</summary>
    public async ValueTask DisposeAsync()
    {
        await _stopping.CancelAsync().ConfigureAwait(false);
        await _backgroundLoop.ConfigureAwait(false);
    }

    private void WakeUp()
    {
        lock (_gate)
        {
            if (_wakeUp.CurrentCount == 0 && !_stopping.IsCancellationRequested)
            {
                _wakeUp.Release();
            }
        }
    }

    private async Task RunBackgroundLoopAsync()
    {
        var stopping = _stopping.Token;
        while (!stopping.IsCancellationRequested)
        {
            bool filled;
            try
            {
                filled = await _wakeUp.WaitAsync(_flushInterval, stopping).ConfigureAwait(false);

                // A send is not cancelled on stop: cutting a request off midway could make the final flush resend points the server already stored.
                await SendPendingAsync(fullBatchesOnly: filled, CancellationToken.None).ConfigureAwait(false);
            }
            catch (OperationCanceledException) when (stopping.IsCancellationRequested)
            {
                return;
            }
            catch (Exception ex)
            {
                ClientLog.BackgroundFlushFailed(_logger, ex, _runId, Count);
            }
        }
    }

    private async Task SendPendingAsync(bool fullBatchesOnly, CancellationToken cancellationToken)
    {
        await _flushLock.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            var drained = TakePending(fullBatchesOnly);
            for (var offset = 0; offset < drained.Count; offset += _batchSize)
            {
                var batch = drained.GetRange(offset, Math.Min(_batchSize, drained.Count - offset));
                try
                {
                    await _sendBatch(batch, cancellationToken).ConfigureAwait(false);
                }
                catch (MlflowException ex) when (IsPermanentRejection(ex))
                {
                    // Resending a batch the server rejected as invalid would fail forever, so it is dropped and reported.
                    ClientLog.MetricsRejected(_logger, ex, _runId, batch.Count);
                    Volatile.Write(ref _rejection, ex);
                }
                catch
                {
                    Requeue(drained, offset);
                    throw;
                }
            }
        }
        finally
        {
            _flushLock.Release();
        }
    }

    private List<Metric> TakePending(bool fullBatchesOnly)
    {
        lock (_gate)
        {
            var count = fullBatchesOnly ? _pending.Count - (_pending.Count % _batchSize) : _pending.Count;
            if (count == _pending.Count)
            {
                var all = _pending;
                _pending = [];
                return all;
            }

            var drained = _pending.GetRange(0, count);
            _pending.RemoveRange(0, count);
            return drained;
        }
    }

    private void Requeue(List<Metric> drained, int offset)
    {
        lock (_gate)
        {
            _pending.InsertRange(0, drained.GetRange(offset, drained.Count - offset));
        }
    }

    private static bool IsPermanentRejection(MlflowException exception)
    {
        var status = (int)exception.StatusCode;
        return status is >= 400 and < 500 && !RetryPolicy.IsRetryable(exception.StatusCode);
    }
}
