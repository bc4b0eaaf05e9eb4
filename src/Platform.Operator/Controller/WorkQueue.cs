namespace Platform.Operator.Controller;

/// <summary>
/// A keyed work queue with client-go's guarantees. A waiting key is stored once however often it is added.
/// A key is handed to one worker at a time, and a key added while a worker processes it is queued again
/// when that worker calls <see cref="Done"/>. Delayed adds and per-key backoff use a <see cref="TimeProvider"/>.
/// </summary>
public sealed class WorkQueue : IDisposable
{
    private readonly Lock _lock = new();
    private readonly Queue<string> _queue = new();
    private readonly HashSet<string> _dirty = new(StringComparer.Ordinal);
    private readonly HashSet<string> _processing = new(StringComparer.Ordinal);
    private readonly HashSet<ITimer> _timers = [];
    private readonly SemaphoreSlim _available = new(0);
    private readonly CancellationTokenSource _stopping = new();
    private readonly TimeProvider _time;
    private readonly ExponentialBackoff _backoff;
    private bool _shutDown;

    public WorkQueue(TimeProvider time, ExponentialBackoff backoff)
    {
        ArgumentNullException.ThrowIfNull(time);
        ArgumentNullException.ThrowIfNull(backoff);

        _time = time;
        _backoff = backoff;
    }

    /// <summary>Keys waiting to be handed out, not counting those a worker holds.</summary>
    public int Count
    {
        get
        {
            lock (_lock)
            {
                return _queue.Count;
            }
        }
    }

    /// <summary>Queues <paramref name="key"/> unless it is already waiting.</summary>
    public void Add(string key)
    {
        lock (_lock)
        {
            if (_shutDown || !_dirty.Add(key))
            {
                return;
            }

            if (_processing.Contains(key))
            {
                return;
            }

            _queue.Enqueue(key);
        }

        _available.Release();
    }

    /// <summary>Queues <paramref name="key"/> after <paramref name="delay"/>.</summary>
    public void AddAfter(string key, TimeSpan delay)
    {
        if (delay <= TimeSpan.Zero)
        {
            Add(key);
            return;
        }

        lock (_lock)
        {
            if (_shutDown)
            {
                return;
            }

            ITimer? timer = null;
            timer = _time.CreateTimer(
                _ =>
                {
                    lock (_lock)
                    {
                        _timers.Remove(timer!);
                    }

                    timer!.Dispose();
                    Add(key);
                },
                null,
                delay,
                Timeout.InfiniteTimeSpan);
            _timers.Add(timer);
        }
    }

    /// <summary>Queues <paramref name="key"/> after its next backoff delay; call after a failed reconcile.</summary>
    public TimeSpan AddRateLimited(string key)
    {
        var delay = _backoff.NextDelay(key);
        AddAfter(key, delay);
        return delay;
    }

    /// <summary>Clears the backoff of <paramref name="key"/>; call after a successful reconcile.</summary>
    public void Forget(string key) => _backoff.Forget(key);

    /// <summary>Waits for the next key and marks it held. Returns null once the queue is shut down and empty.</summary>
    public async Task<string?> GetAsync(CancellationToken cancellationToken)
    {
        while (true)
        {
            lock (_lock)
            {
                if (_queue.TryDequeue(out var key))
                {
                    _dirty.Remove(key);
                    _processing.Add(key);
                    return key;
                }

                if (_shutDown)
                {
                    return null;
                }
            }

            using var linked = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, _stopping.Token);
            try
            {
                await _available.WaitAsync(linked.Token);
            }
            catch (OperationCanceledException) when (_stopping.IsCancellationRequested && !cancellationToken.IsCancellationRequested)
            {
                return null;
            }
        }
    }

    /// <summary>Releases a held key; if it was added meanwhile it goes back in the queue.</summary>
    public void Done(string key)
    {
        bool requeued;
        lock (_lock)
        {
            _processing.Remove(key);
            requeued = _dirty.Contains(key) && !_shutDown;
            if (requeued)
            {
                _queue.Enqueue(key);
            }
        }

        if (requeued)
        {
            _available.Release();
        }
    }

    /// <summary>Stops accepting keys and wakes every waiting worker.</summary>
    public void ShutDown()
    {
        lock (_lock)
        {
            _shutDown = true;
            _queue.Clear();
            _dirty.Clear();
            foreach (var timer in _timers)
            {
                timer.Dispose();
            }

            _timers.Clear();
        }

        _stopping.Cancel();
    }

    public void Dispose()
    {
        ShutDown();
        _available.Dispose();
        _stopping.Dispose();
    }
}
