using System.Globalization;
using System.Text.Json.Nodes;

namespace Platform.Testing.Kubernetes;

/// <summary>
/// The server's storage: objects as JSON, one global resourceVersion counter (as etcd has), a bounded
/// event history for resuming watches, and the open watches. One lock serializes every write so that
/// watch events leave in resourceVersion order.
/// </summary>
internal sealed partial class ObjectStore(ResourceRegistry registry, TimeProvider time, int historyCapacity)
{
    private readonly Lock _lock = new();
    private readonly Dictionary<string, JsonObject> _objects = new(StringComparer.Ordinal);
    private readonly LinkedList<WatchEventRecord> _history = new();
    private readonly List<WatchSubscription> _watches = [];
    private long _resourceVersion = 1;
    private long _oldestServableVersion;

    /// <summary>Runs after each committed write, inside the lock, so a hook can react (register a CRD, play kubelet).</summary>
    public Action<ResourceType, string, JsonObject>? AfterCommit { get; set; }

    public long CurrentResourceVersion
    {
        get
        {
            lock (_lock)
            {
                return _resourceVersion;
            }
        }
    }

    public JsonObject Get(ResourceType type, string? ns, string name)
    {
        lock (_lock)
        {
            return (JsonObject)Find(type, ns, name).DeepClone();
        }
    }

    public (List<JsonObject> Items, long ResourceVersion) List(ResourceType type, string? ns, LabelSelector labels, FieldSelector fields)
    {
        lock (_lock)
        {
            var items = Matching(type, ns, labels, fields).Select(o => (JsonObject)o.DeepClone()).ToList();
            return (items, _resourceVersion);
        }
    }

    public JsonObject Create(ResourceType type, string? ns, JsonObject body)
    {
        lock (_lock)
        {
            var metadata = body["metadata"] as JsonObject ?? new JsonObject();
            body["metadata"] = metadata;
            var name = (string?)metadata["name"];
            if (string.IsNullOrEmpty(name) && metadata["generateName"] is JsonValue prefix)
            {
                name = $"{prefix}{Guid.NewGuid():N}"[..Math.Min(63, prefix.ToString().Length + 5)];
            }

            if (string.IsNullOrEmpty(name))
            {
                throw new KubernetesApiException(422, "Invalid", $"{type.Kind} has no metadata.name (or generateName); set one and retry.");
            }

            if (_objects.ContainsKey(KeyOf(type, ns, name)))
            {
                throw new KubernetesApiException(409, "AlreadyExists", $"{type.Plural}.{type.Group} \"{name}\" already exists");
            }

            body["apiVersion"] = type.ApiVersion;
            body["kind"] = type.Kind;
            metadata["name"] = name;
            if (type.Namespaced)
            {
                metadata["namespace"] = ns ?? (string?)metadata["namespace"] ?? "default";
            }
            else
            {
                metadata.Remove("namespace");
            }

            metadata["uid"] = Guid.NewGuid().ToString();
            metadata["creationTimestamp"] = FormatTime(time.GetUtcNow());
            metadata["generation"] = 1;
            metadata.Remove("deletionTimestamp");
            if (type.HasStatusSubresource)
            {
                body.Remove("status");
            }

            Validate(type, previous: null, body);
            if (type.Kind == "Namespace")
            {
                body["status"] = new JsonObject { ["phase"] = "Active" };
            }

            Commit(type, "ADDED", body);
            return (JsonObject)body.DeepClone();
        }
    }

    /// <summary>
    /// Replaces an object with what <paramref name="mutate"/> returns for the current one. A resourceVersion in
    /// the result must match the stored one (409 otherwise). The main resource keeps the stored status when a
    /// status subresource exists, the status subresource changes only status, and generation moves when
    /// anything outside metadata and status changed.
    /// </summary>
    public JsonObject Update(ResourceType type, string? ns, string name, Func<JsonObject, JsonObject> mutate, bool statusOnly)
    {
        lock (_lock)
        {
            var current = Find(type, ns, name);
            var desired = mutate((JsonObject)current.DeepClone());
            if (desired["metadata"] is not JsonObject desiredMetadata)
            {
                desiredMetadata = new JsonObject();
                desired["metadata"] = desiredMetadata;
            }

            var currentMetadata = (JsonObject)current["metadata"]!;
            var expectedVersion = (string?)desiredMetadata["resourceVersion"];
            if (!string.IsNullOrEmpty(expectedVersion) && expectedVersion != (string?)currentMetadata["resourceVersion"])
            {
                throw new KubernetesApiException(409, "Conflict",
                    $"Operation cannot be fulfilled on {type.Plural}.{type.Group} \"{name}\": the object has been modified; please apply your changes to the latest version and try again");
            }

            JsonObject next;
            if (statusOnly)
            {
                next = (JsonObject)current.DeepClone();
                next["status"] = desired["status"]?.DeepClone();
            }
            else
            {
                next = desired;
                if (type.HasStatusSubresource)
                {
                    next["status"] = current["status"]?.DeepClone();
                }

                foreach (var fixedField in new[] { "uid", "creationTimestamp", "namespace", "name", "generation", "deletionTimestamp" })
                {
                    desiredMetadata[fixedField] = currentMetadata[fixedField]?.DeepClone();
                }

                if (desiredMetadata["deletionTimestamp"] is null)
                {
                    desiredMetadata.Remove("deletionTimestamp");
                }

                next["apiVersion"] = type.ApiVersion;
                next["kind"] = type.Kind;
                if (!JsonNode.DeepEquals(WithoutMetadataAndStatus(current), WithoutMetadataAndStatus(next)))
                {
                    desiredMetadata["generation"] = (JsonNumbers.ToInt64(currentMetadata["generation"]) ?? 0) + 1;
                }
            }

            if (!statusOnly)
            {
                Validate(type, current, next);
            }

            ((JsonObject)next["metadata"]!)["resourceVersion"] = currentMetadata["resourceVersion"]?.DeepClone();
            if (JsonNode.DeepEquals(current, next))
            {
                return (JsonObject)current.DeepClone();
            }

            if (next["metadata"]!["deletionTimestamp"] is not null && !HasFinalizers(next))
            {
                Remove(type, next);
                return (JsonObject)next.DeepClone();
            }

            Commit(type, "MODIFIED", next);
            return (JsonObject)next.DeepClone();
        }
    }

    /// <summary>
    /// Deletes an object. An object with finalizers only gains a deletionTimestamp. Any other object is removed
    /// at once, and its dependents (by owner reference) are deleted as the garbage collector would.
    /// </summary>
    public JsonObject Delete(ResourceType type, string? ns, string name)
    {
        lock (_lock)
        {
            var current = Find(type, ns, name);
            if (HasFinalizers(current))
            {
                if (current["metadata"]!["deletionTimestamp"] is not null)
                {
                    return (JsonObject)current.DeepClone();
                }

                var marked = (JsonObject)current.DeepClone();
                marked["metadata"]!["deletionTimestamp"] = FormatTime(time.GetUtcNow());
                Commit(type, "MODIFIED", marked);
                return (JsonObject)marked.DeepClone();
            }

            Remove(type, current);
            return (JsonObject)current.DeepClone();
        }
    }

    public static string FormatTime(DateTimeOffset value) =>
        value.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture);

    private static void Validate(ResourceType type, JsonObject? previous, JsonObject next)
    {
        var failures = type.ValidationRules
            .Select(rule => rule.Check(previous, next) is { } message ? $"{rule.PathText}: Invalid value: \"object\": {message}" : null)
            .OfType<string>()
            .ToList();
        if (failures.Count > 0)
        {
            var name = (string?)next["metadata"]?["name"];
            throw new KubernetesApiException(422, "Invalid", $"{type.Kind}.{type.Group} \"{name}\" is invalid: {string.Join(", ", failures)}");
        }
    }

    private JsonObject Find(ResourceType type, string? ns, string name) =>
        _objects.TryGetValue(KeyOf(type, ns, name), out var item)
            ? item
            : throw new KubernetesApiException(404, "NotFound", $"{type.Plural}.{type.Group} \"{name}\" not found");

    private IEnumerable<JsonObject> Matching(ResourceType type, string? ns, LabelSelector labels, FieldSelector fields)
    {
        var prefix = type.Namespaced && ns is not null ? $"{type.Key}|{ns}|" : $"{type.Key}|";
        return _objects
            .Where(pair => pair.Key.StartsWith(prefix, StringComparison.Ordinal))
            .OrderBy(pair => pair.Key, StringComparer.Ordinal)
            .Select(pair => pair.Value)
            .Where(item => labels.Matches(item) && fields.Matches(item));
    }

    private void Remove(ResourceType type, JsonObject item)
    {
        var metadata = (JsonObject)item["metadata"]!;
        _objects.Remove(KeyOf(type, (string?)metadata["namespace"], (string)metadata["name"]!));
        _resourceVersion++;
        metadata["resourceVersion"] = _resourceVersion.ToString(CultureInfo.InvariantCulture);
        Record(new WatchEventRecord(_resourceVersion, type.Key, "DELETED", (JsonObject)item.DeepClone()));
        CollectDependents((string?)metadata["uid"]);
    }

    private void Commit(ResourceType type, string eventType, JsonObject item)
    {
        var metadata = (JsonObject)item["metadata"]!;
        _resourceVersion++;
        metadata["resourceVersion"] = _resourceVersion.ToString(CultureInfo.InvariantCulture);
        _objects[KeyOf(type, (string?)metadata["namespace"], (string)metadata["name"]!)] = item;
        Record(new WatchEventRecord(_resourceVersion, type.Key, eventType, (JsonObject)item.DeepClone()));
        AfterCommit?.Invoke(type, eventType, item);
    }

    // Background cascading deletion: a dependent goes once none of its owners exists any more.
    private void CollectDependents(string? ownerUid)
    {
        if (ownerUid is null)
        {
            return;
        }

        var liveUids = _objects.Values.Select(o => (string?)o["metadata"]?["uid"]).OfType<string>().ToHashSet(StringComparer.Ordinal);
        var orphans = _objects.Values
            .Where(o => (o["metadata"]?["ownerReferences"] as JsonArray ?? []).Any(r => (string?)r?["uid"] == ownerUid))
            .Where(o => !(o["metadata"]?["ownerReferences"] as JsonArray ?? []).Any(r => liveUids.Contains((string?)r?["uid"] ?? "")))
            .ToList();
        foreach (var orphan in orphans)
        {
            var apiVersion = (string)orphan["apiVersion"]!;
            var slash = apiVersion.IndexOf('/', StringComparison.Ordinal);
            var (group, version) = slash < 0 ? ("", apiVersion) : (apiVersion[..slash], apiVersion[(slash + 1)..]);
            var type = registry.All.First(t => t.Group == group && t.Version == version && t.Kind == (string?)orphan["kind"]);
            var metadata = orphan["metadata"]!;
            Delete(type, (string?)metadata["namespace"], (string)metadata["name"]!);
        }
    }

    private static bool HasFinalizers(JsonObject item) =>
        item["metadata"]?["finalizers"] is JsonArray { Count: > 0 };

    private static JsonObject WithoutMetadataAndStatus(JsonObject item)
    {
        var copy = (JsonObject)item.DeepClone();
        copy.Remove("metadata");
        copy.Remove("status");
        return copy;
    }

    private static string KeyOf(ResourceType type, string? ns, string name) =>
        type.Namespaced ? $"{type.Key}|{ns}|{name}" : $"{type.Key}||{name}";
}
