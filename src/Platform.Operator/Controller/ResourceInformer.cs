using System.Collections.Concurrent;
using System.Net;
using k8s;
using k8s.Autorest;
using k8s.Models;
using Microsoft.Extensions.Logging;

namespace Platform.Operator.Controller;

/// <summary>
/// List-then-watch cache for one resource. It lists, then watches from the list's resourceVersion, and
/// moves that version forward on every event and BOOKMARK. A closed watch resumes from that version.
/// When the server returns 410 Gone, because the version fell out of its history, the informer lists
/// again and reports objects that vanished meanwhile as deleted. An optional transform trims each object
/// before it is cached and reported, so the cache holds only the fields the controller reads.
/// </summary>
public sealed partial class ResourceInformer<TObject, TList>
    where TObject : class, IKubernetesObject<V1ObjectMeta>
    where TList : class, IKubernetesObject<V1ListMeta>, IItems<TObject>
{
    private readonly ConcurrentDictionary<string, TObject> _cache = new(StringComparer.Ordinal);
    private readonly string _resource;
    private readonly ListFunction<TList> _list;
    private readonly WatchFunction<TObject> _watch;
    private readonly ILogger _logger;
    private readonly TimeSpan _retryDelay;
    private readonly Func<TObject, TObject> _transform;
    private readonly TaskCompletionSource _synced = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private int _listCount;

    /// <param name="transform">
    /// Applied to every listed and watched object before it is cached and passed to <see cref="Changed"/>. It may
    /// return a smaller copy. Null keeps objects as received.
    /// </param>
    public ResourceInformer(
        string resource,
        ListFunction<TList> list,
        WatchFunction<TObject> watch,
        ILogger logger,
        TimeSpan retryDelay,
        Func<TObject, TObject>? transform = null)
    {
        ArgumentException.ThrowIfNullOrEmpty(resource);
        ArgumentNullException.ThrowIfNull(list);
        ArgumentNullException.ThrowIfNull(watch);
        ArgumentNullException.ThrowIfNull(logger);

        _resource = resource;
        _list = list;
        _watch = watch;
        _logger = logger;
        _retryDelay = retryDelay;
        _transform = transform ?? (item => item);
    }

    /// <summary>Raised for every added, modified or deleted object, after the cache has changed.</summary>
    public event Action<WatchEventType, TObject>? Changed;

    /// <summary>The resourceVersion the next watch resumes from.</summary>
    public string? ResourceVersion { get; private set; }

    /// <summary>How many full lists this informer has made (one at start, one per 410 Gone).</summary>
    public int ListCount => Volatile.Read(ref _listCount);

    /// <summary>Completes once the first list has filled the cache.</summary>
    public Task Synced => _synced.Task;

    public bool TryGet(string key, out TObject? item) => _cache.TryGetValue(key, out item);

    public IReadOnlyCollection<TObject> Items => _cache.Values.ToList();

    public static string KeyOf(IKubernetesObject<V1ObjectMeta> item) =>
        $"{item.Metadata.NamespaceProperty}/{item.Metadata.Name}";

    /// <summary>Lists and watches until <paramref name="cancellationToken"/> fires; failures are logged and retried.</summary>
    public async Task RunAsync(CancellationToken cancellationToken)
    {
        while (!cancellationToken.IsCancellationRequested)
        {
            try
            {
                await ListAsync(cancellationToken);
                await WatchUntilExpiredAsync(cancellationToken);
            }
            catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
            {
                return;
            }
            catch (Exception ex)
            {
                // Any failure (HTTP, a dropped stream, an undecodable event) must not end the informer, or the
                // controller would stop seeing changes without noticing.
                LogListWatchFailed(_resource, _retryDelay.TotalMilliseconds, ex);
                await Task.Delay(_retryDelay, cancellationToken);
            }
        }
    }

    private async Task ListAsync(CancellationToken cancellationToken)
    {
        using var response = await _list(cancellationToken);
        var list = response.Body;
        Interlocked.Increment(ref _listCount);
        var seen = new HashSet<string>(StringComparer.Ordinal);
        foreach (var received in list.Items)
        {
            var item = _transform(received);
            var key = KeyOf(item);
            seen.Add(key);
            var existed = _cache.ContainsKey(key);
            _cache[key] = item;
            Changed?.Invoke(existed ? WatchEventType.Modified : WatchEventType.Added, item);
        }

        foreach (var (key, item) in _cache.ToArray())
        {
            if (!seen.Contains(key) && _cache.TryRemove(key, out _))
            {
                Changed?.Invoke(WatchEventType.Deleted, item);
            }
        }

        ResourceVersion = list.Metadata.ResourceVersion;
        LogListed(_resource, list.Items.Count, ResourceVersion);
        _synced.TrySetResult();
    }

    // Returns when the watch position expired (410 Gone), so the caller lists again.
    private async Task WatchUntilExpiredAsync(CancellationToken cancellationToken)
    {
        while (!cancellationToken.IsCancellationRequested)
        {
            Exception? streamError = null;
            await foreach (var (type, item) in _watch(ResourceVersion, ex => streamError = ex, cancellationToken))
            {
                Apply(type, item);
            }

            if (streamError is KubernetesException { Status.Code: (int)HttpStatusCode.Gone })
            {
                LogWatchExpired(_resource, ResourceVersion);
                return;
            }

            if (streamError is not null)
            {
                LogWatchEventFailed(_resource, streamError);
            }

            LogWatchClosed(_resource, ResourceVersion);
        }
    }

    private void Apply(WatchEventType type, TObject item)
    {
        ResourceVersion = item.Metadata?.ResourceVersion ?? ResourceVersion;
        var key = KeyOf(item);
        switch (type)
        {
            case WatchEventType.Added:
            case WatchEventType.Modified:
                item = _transform(item);
                _cache[key] = item;
                Changed?.Invoke(type, item);
                break;
            case WatchEventType.Deleted:
                _cache.TryRemove(key, out _);
                Changed?.Invoke(type, _transform(item));
                break;
            default:
                // BOOKMARK carries only a resourceVersion, which is already taken above.
                break;
        }
    }

    [LoggerMessage(Level = LogLevel.Debug, Message = "Listed {Resource}: {Count} objects at resourceVersion {ResourceVersion}")]
    private partial void LogListed(string resource, int count, string? resourceVersion);

    [LoggerMessage(Level = LogLevel.Information, Message = "Watch of {Resource} expired at resourceVersion {ResourceVersion} (410 Gone); listing again")]
    private partial void LogWatchExpired(string resource, string? resourceVersion);

    [LoggerMessage(Level = LogLevel.Debug, Message = "Watch of {Resource} closed at resourceVersion {ResourceVersion}; resuming")]
    private partial void LogWatchClosed(string resource, string? resourceVersion);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Watch of {Resource} returned an error event; resuming")]
    private partial void LogWatchEventFailed(string resource, Exception exception);

    [LoggerMessage(Level = LogLevel.Warning, Message = "List or watch of {Resource} failed; retrying in {DelayMs} ms")]
    private partial void LogListWatchFailed(string resource, double delayMs, Exception exception);
}
