using System.Collections.Concurrent;
using System.Text.Json;
using Microsoft.Extensions.Options;
using Microsoft.IdentityModel.Tokens;

namespace Platform.Gateway.Authentication;

/// <summary>
/// Fetches and caches JWK sets by URL. A token whose <c>kid</c> is not in the cached set triggers
/// one refetch (key rotation), limited by <see cref="KeySetOptions.MinimumRefreshInterval"/>.
/// </summary>
internal sealed partial class JsonWebKeySetCache
{
    /// <summary>Name of the <see cref="HttpClient"/> used for key and discovery requests.</summary>
    public const string HttpClientName = "keysets";

    private readonly IHttpClientFactory _httpClientFactory;
    private readonly TimeProvider _time;
    private readonly IOptionsMonitor<KeySetOptions> _options;
    private readonly ILogger<JsonWebKeySetCache> _logger;
    private readonly ConcurrentDictionary<string, Entry> _entries = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, string> _jwksUrlByMetadata = new(StringComparer.Ordinal);

    public JsonWebKeySetCache(IHttpClientFactory httpClientFactory, TimeProvider time, IOptionsMonitor<KeySetOptions> options, ILogger<JsonWebKeySetCache> logger)
    {
        ArgumentNullException.ThrowIfNull(httpClientFactory);
        ArgumentNullException.ThrowIfNull(time);
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(logger);

        _httpClientFactory = httpClientFactory;
        _time = time;
        _options = options;
        _logger = logger;
    }

    /// <summary>
    /// Returns the signing keys of <paramref name="url"/>, refetching when the cache is stale or when
    /// <paramref name="keyId"/> is unknown and the rate limit allows. Throws
    /// <see cref="KeySetUnavailableException"/> when no key set could ever be fetched.
    /// </summary>
    public async Task<IReadOnlyList<SecurityKey>> GetKeysAsync(string url, string? keyId, CancellationToken cancellationToken)
    {
        var entry = _entries.GetOrAdd(url, _ => new Entry());
        var options = _options.CurrentValue;
        var now = _time.GetUtcNow();

        // Without any keys, retry at most once a second so a key-server outage is not amplified.
        var stale = entry.Keys is null
            ? now - entry.LastAttemptAt >= TimeSpan.FromSeconds(1)
            : now - entry.FetchedAt >= options.RefreshInterval;
        var unknownKey = keyId is not null && entry.Keys is not null && !entry.Keys.Any(k => k.KeyId == keyId);
        if (stale || (unknownKey && now - entry.LastAttemptAt >= options.MinimumRefreshInterval))
        {
            await entry.Lock.WaitAsync(cancellationToken);
            try
            {
                // Another request may have refreshed while this one waited for the lock.
                var attemptedMeanwhile = entry.LastAttemptAt > now;
                if (!attemptedMeanwhile)
                {
                    await RefreshAsync(url, entry, cancellationToken);
                }
            }
            finally
            {
                entry.Lock.Release();
            }
        }

        return entry.Keys ?? throw new KeySetUnavailableException($"Signing keys from '{url}' could not be fetched; see the gateway log.");
    }

    /// <summary>Returns <c>jwks_uri</c> from the OIDC discovery document at <paramref name="metadataAddress"/>, cached for the process lifetime.</summary>
    public async Task<string> ResolveJwksUrlAsync(string metadataAddress, CancellationToken cancellationToken)
    {
        if (_jwksUrlByMetadata.TryGetValue(metadataAddress, out var cached))
        {
            return cached;
        }

        try
        {
            var client = _httpClientFactory.CreateClient(HttpClientName);
            await using var stream = await client.GetStreamAsync(metadataAddress, cancellationToken);
            using var document = await JsonDocument.ParseAsync(stream, cancellationToken: cancellationToken);
            if (!document.RootElement.TryGetProperty("jwks_uri", out var jwksUri) || jwksUri.GetString() is not { Length: > 0 } url)
            {
                throw new KeySetUnavailableException($"The discovery document '{metadataAddress}' has no 'jwks_uri'.");
            }

            _jwksUrlByMetadata[metadataAddress] = url;
            return url;
        }
        catch (Exception ex) when (ex is HttpRequestException or JsonException or TaskCanceledException && !cancellationToken.IsCancellationRequested)
        {
            Log.DiscoveryFailed(_logger, metadataAddress, ex);
            throw new KeySetUnavailableException($"The discovery document '{metadataAddress}' could not be read; see the gateway log.", ex);
        }
    }

    private async Task RefreshAsync(string url, Entry entry, CancellationToken cancellationToken)
    {
        entry.LastAttemptAt = _time.GetUtcNow();
        try
        {
            var client = _httpClientFactory.CreateClient(HttpClientName);
            var json = await client.GetStringAsync(url, cancellationToken);
            var keys = new JsonWebKeySet(json).GetSigningKeys();
            entry.Keys = [.. keys];
            entry.FetchedAt = entry.LastAttemptAt;
            Log.KeySetFetched(_logger, url, keys.Count);
        }
        catch (Exception ex) when (ex is HttpRequestException or ArgumentException or TaskCanceledException && !cancellationToken.IsCancellationRequested)
        {
            // The previous keys stay in use, so a short outage of the key server does not lock users out.
            Log.KeySetFetchFailed(_logger, url, ex);
        }
    }

    private sealed class Entry
    {
        public SemaphoreSlim Lock { get; } = new(1, 1);

        public IReadOnlyList<SecurityKey>? Keys { get; set; }

        public DateTimeOffset FetchedAt { get; set; }

        public DateTimeOffset LastAttemptAt { get; set; } = DateTimeOffset.MinValue;
    }

    private static partial class Log
    {
        [LoggerMessage(EventId = 2101, Level = LogLevel.Information, Message = "Fetched {KeyCount} signing keys from {KeySetUrl}")]
        public static partial void KeySetFetched(ILogger logger, string keySetUrl, int keyCount);

        [LoggerMessage(EventId = 2102, Level = LogLevel.Warning, Message = "Fetching signing keys from {KeySetUrl} failed; the previously fetched keys stay in use")]
        public static partial void KeySetFetchFailed(ILogger logger, string keySetUrl, Exception exception);

        [LoggerMessage(EventId = 2103, Level = LogLevel.Warning, Message = "Reading the OIDC discovery document {MetadataAddress} failed")]
        public static partial void DiscoveryFailed(ILogger logger, string metadataAddress, Exception exception);
    }
}
