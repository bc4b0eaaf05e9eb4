using System.Collections.Concurrent;
using Microsoft.AspNetCore.Http;

namespace Platform.Testing.Gcs;

/// <summary>One request the test server received, for tests that check what the client sent.</summary>
public sealed record GcsRecordedRequest(string Method, string Path, string Query, string? ContentRange, string? Range);

/// <summary>The most recent requests (up to <see cref="Capacity"/>), oldest first.</summary>
public sealed class GcsRequestLog
{
    /// <summary>Number of requests kept. Older ones are dropped.</summary>
    public const int Capacity = 10_000;

    private readonly ConcurrentQueue<GcsRecordedRequest> _requests = new();

    /// <summary>Returns a snapshot of the recorded requests.</summary>
    public IReadOnlyList<GcsRecordedRequest> Snapshot() => [.. _requests];

    /// <summary>Removes every recorded request.</summary>
    public void Clear() => _requests.Clear();

    internal void Add(string method, GcsRequest request, IHeaderDictionary headers)
    {
        _requests.Enqueue(new GcsRecordedRequest(
            method, request.RawPath, request.RawQuery, headers.ContentRange.FirstOrDefault(), headers.Range.FirstOrDefault()));
        while (_requests.Count > Capacity && _requests.TryDequeue(out _))
        {
        }
    }
}
