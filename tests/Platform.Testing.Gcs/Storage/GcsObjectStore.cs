using System.Collections.Concurrent;

namespace Platform.Testing.Gcs;

/// <summary>
/// Buckets and objects of the test server. Object content lives in files under a temp folder, so large
/// objects do not sit in memory. Only the name index and metadata do. Thread-safe.
/// </summary>
public sealed class GcsObjectStore : IDisposable
{
    private readonly Lock _lock = new();
    private readonly Dictionary<string, SortedDictionary<string, GcsStoredObject>> _buckets = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, GcsUploadSession> _sessions = new(StringComparer.Ordinal);
    private readonly string _dataFolder;
    private long _lastGeneration = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds() * 1000;
    private int _pendingChunkFailures;

    /// <summary>Creates a store that keeps object content under <paramref name="folder"/>.</summary>
    public GcsObjectStore(string folder)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(folder);
        Folder = folder;
        _dataFolder = Path.Combine(folder, "objects");
        Directory.CreateDirectory(_dataFolder);
    }

    /// <summary>Folder that contains object content and in-progress uploads.</summary>
    public string Folder { get; }

    /// <summary>
    /// Makes the next <paramref name="count"/> resumable-upload chunk requests fail with 503 after only part
    /// of their bytes were persisted, so tests can watch a client query the status and resume.
    /// </summary>
    public void FailNextChunks(int count) => Interlocked.Exchange(ref _pendingChunkFailures, count);

    /// <summary>Consumes one pending chunk failure and returns whether there was one.</summary>
    internal bool TakeChunkFailure()
    {
        while (true)
        {
            var pending = Volatile.Read(ref _pendingChunkFailures);
            if (pending <= 0)
            {
                return false;
            }

            if (Interlocked.CompareExchange(ref _pendingChunkFailures, pending - 1, pending) == pending)
            {
                return true;
            }
        }
    }

    /// <summary>Creates <paramref name="bucket"/> if it does not exist yet.</summary>
    public void CreateBucket(string bucket)
    {
        ArgumentException.ThrowIfNullOrEmpty(bucket);
        lock (_lock)
        {
            _buckets.TryAdd(bucket, new SortedDictionary<string, GcsStoredObject>(StringComparer.Ordinal));
        }
    }

    /// <summary>Returns whether <paramref name="bucket"/> exists.</summary>
    public bool BucketExists(string bucket)
    {
        lock (_lock)
        {
            return _buckets.ContainsKey(bucket);
        }
    }

    /// <summary>Returns the live version of an object, or null.</summary>
    public GcsStoredObject? Find(string bucket, string name)
    {
        lock (_lock)
        {
            return Objects(bucket).GetValueOrDefault(name);
        }
    }

    /// <summary>Returns the live objects of <paramref name="bucket"/> in name order (a snapshot).</summary>
    public IReadOnlyList<GcsStoredObject> List(string bucket)
    {
        lock (_lock)
        {
            return [.. Objects(bucket).Values];
        }
    }

    /// <summary>Returns a new file path under the store folder for content being received.</summary>
    public string NewTempPath() => Path.Combine(_dataFolder, $"{Guid.NewGuid():N}.partial");

    /// <summary>
    /// Makes the content at <paramref name="tempPath"/> the new live version of an object and returns it.
    /// <paramref name="ifGenerationMatch"/> is GCS's precondition: 0 means "only if the object does not exist".
    /// </summary>
    public GcsStoredObject Commit(string bucket, string name, string contentType, string tempPath, long size, byte[] md5, uint crc32c, long? ifGenerationMatch)
    {
        lock (_lock)
        {
            var objects = Objects(bucket);
            var current = objects.GetValueOrDefault(name);
            if (ifGenerationMatch is { } expected && (current?.Generation ?? 0) != expected)
            {
                File.Delete(tempPath);
                throw new GcsProtocolException(412, "conditionNotMet", "At least one of the pre-conditions you specified did not hold.");
            }

            var generation = ++_lastGeneration;
            var dataPath = Path.Combine(_dataFolder, $"{generation}.bin");
            File.Move(tempPath, dataPath);
            var stored = new GcsStoredObject(bucket, name, generation, contentType, size, md5, crc32c, DateTimeOffset.UtcNow, dataPath);
            objects[name] = stored;
            if (current is not null)
            {
                // Open readers keep their handle, and on Linux the file stays readable until they close it.
                File.Delete(current.DataPath);
            }

            return stored;
        }
    }

    /// <summary>Deletes the live version of an object and returns whether it existed.</summary>
    public bool Delete(string bucket, string name)
    {
        lock (_lock)
        {
            var objects = Objects(bucket);
            if (!objects.Remove(name, out var removed))
            {
                return false;
            }

            File.Delete(removed.DataPath);
            return true;
        }
    }

    /// <summary>Starts a resumable upload session and returns it.</summary>
    public GcsUploadSession StartSession(string bucket, string name, string contentType, long? declaredLength, long? ifGenerationMatch)
    {
        var session = new GcsUploadSession(Guid.NewGuid().ToString("N"), bucket, name, contentType, declaredLength, ifGenerationMatch, NewTempPath());
        _sessions[session.Id] = session;
        return session;
    }

    /// <summary>Returns the resumable upload session with <paramref name="id"/>, or null.</summary>
    public GcsUploadSession? FindSession(string id) => _sessions.GetValueOrDefault(id);

    /// <summary>Removes a cancelled session and its received bytes.</summary>
    public bool CancelSession(string id)
    {
        if (!_sessions.TryRemove(id, out var session))
        {
            return false;
        }

        session.Dispose();
        File.Delete(session.TempPath);
        return true;
    }

    /// <inheritdoc />
    public void Dispose()
    {
        foreach (var session in _sessions.Values)
        {
            session.Dispose();
        }

        try
        {
            Directory.Delete(Folder, recursive: true);
        }
        catch (IOException)
        {
            // A reader still has a file open, so the OS cleans the temp folder later.
        }
    }

    private SortedDictionary<string, GcsStoredObject> Objects(string bucket) =>
        _buckets.TryGetValue(bucket, out var objects)
            ? objects
            : throw GcsProtocolException.NotFound($"The specified bucket does not exist: {bucket}");
}
