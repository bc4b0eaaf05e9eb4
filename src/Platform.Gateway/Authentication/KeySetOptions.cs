namespace Platform.Gateway.Authentication;

/// <summary>Caching of fetched JWK sets, bound from <c>Authentication:KeySets</c>.</summary>
public sealed class KeySetOptions
{
    public const string SectionName = "Authentication:KeySets";

    /// <summary>How long a fetched key set is used before it is fetched again.</summary>
    public TimeSpan RefreshInterval { get; set; } = TimeSpan.FromHours(1);

    /// <summary>
    /// Minimum time between two fetches caused by a token with an unknown <c>kid</c>, so a flood of
    /// forged tokens cannot turn the gateway into a load generator against the key server.
    /// </summary>
    public TimeSpan MinimumRefreshInterval { get; set; } = TimeSpan.FromSeconds(30);
}
