using k8s;

namespace Platform.Operator.Controller;

/// <summary>
/// One of KubernetesClient's generated <c>WatchList…Async</c> calls, bound like the matching <see cref="ListFunction{TList}"/>:
/// it watches from <paramref name="resourceVersion"/> with bookmarks and passes ERROR events (such as 410 Gone) to <paramref name="onError"/>.
/// </summary>
public delegate IAsyncEnumerable<(WatchEventType Type, TObject Object)> WatchFunction<TObject>(
    string? resourceVersion, Action<Exception> onError, CancellationToken cancellationToken);
