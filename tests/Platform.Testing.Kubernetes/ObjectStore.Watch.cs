using System.Globalization;
using System.Text.Json.Nodes;

namespace Platform.Testing.Kubernetes;

internal sealed partial class ObjectStore
{
    /// <summary>
    /// Opens a watch. Without a resourceVersion (or with "0") the current objects arrive first as ADDED;
    /// with one, the retained events after it are replayed. A version older than the history returns 410 Gone.
    /// </summary>
    public WatchSubscription OpenWatch(ResourceType type, string? ns, string? resourceVersion, LabelSelector labels, FieldSelector fields)
    {
        lock (_lock)
        {
            var watch = new WatchSubscription(type, type.Namespaced ? ns : null, labels, fields);
            if (string.IsNullOrEmpty(resourceVersion) || resourceVersion == "0")
            {
                foreach (var item in Matching(type, ns, labels, fields))
                {
                    watch.Lines.Writer.TryWrite(new WatchEventRecord(0, type.Key, "ADDED", item).ToLine());
                }
            }
            else
            {
                if (!long.TryParse(resourceVersion, NumberStyles.None, CultureInfo.InvariantCulture, out var since))
                {
                    throw new KubernetesApiException(400, "BadRequest", $"Invalid resourceVersion '{resourceVersion}': expected a decimal number.");
                }

                if (since < _oldestServableVersion)
                {
                    throw new KubernetesApiException(410, "Expired", $"too old resource version: {since} ({_oldestServableVersion})");
                }

                foreach (var record in _history.Where(r => r.ResourceVersion > since && watch.Matches(r.TypeKey, r.Object)))
                {
                    watch.Lines.Writer.TryWrite(record.ToLine());
                }
            }

            _watches.Add(watch);
            return watch;
        }
    }

    public void CloseWatch(WatchSubscription watch)
    {
        lock (_lock)
        {
            _watches.Remove(watch);
            watch.Lines.Writer.TryComplete();
        }
    }

    /// <summary>Queues a BOOKMARK with the current resourceVersion behind every event already queued for this watch.</summary>
    public void SendBookmark(WatchSubscription watch)
    {
        lock (_lock)
        {
            var bookmark = new JsonObject
            {
                ["type"] = "BOOKMARK",
                ["object"] = new JsonObject
                {
                    ["kind"] = watch.Type.Kind,
                    ["apiVersion"] = watch.Type.ApiVersion,
                    ["metadata"] = new JsonObject { ["resourceVersion"] = _resourceVersion.ToString(CultureInfo.InvariantCulture) },
                },
            };
            watch.Lines.Writer.TryWrite(bookmark.ToJsonString(JsonOutput.Options));
        }
    }

    /// <summary>
    /// Compacts the history as etcd does: the version moves on and every older version becomes too old,
    /// so a watch resumed from before now gets 410 Gone, while a fresh list still works.
    /// </summary>
    public void ExpireHistory()
    {
        lock (_lock)
        {
            _history.Clear();
            _resourceVersion++;
            _oldestServableVersion = _resourceVersion;
        }
    }

    /// <summary>Ends every open watch stream, as an API server restart or a load balancer timeout would.</summary>
    public void CloseAllWatches()
    {
        lock (_lock)
        {
            foreach (var watch in _watches)
            {
                watch.Lines.Writer.TryComplete();
            }

            _watches.Clear();
        }
    }

    private void Record(WatchEventRecord record)
    {
        _history.AddLast(record);
        while (_history.Count > historyCapacity)
        {
            _oldestServableVersion = _history.First!.Value.ResourceVersion;
            _history.RemoveFirst();
        }

        foreach (var watch in _watches)
        {
            if (watch.Matches(record.TypeKey, record.Object))
            {
                watch.Lines.Writer.TryWrite(record.ToLine());
            }
        }
    }
}
