namespace Platform.Gateway.Authentication;

/// <summary>Cloud IAP signed-header authentication, bound from <c>Authentication:Iap</c>.</summary>
public sealed class IapOptions
{
    public const string SectionName = "Authentication:Iap";

    /// <summary>Accept the <c>x-goog-iap-jwt-assertion</c> header. Off by default.</summary>
    public bool Enabled { get; set; }

    /// <summary>
    /// Accepted <c>aud</c> values, for example <c>/projects/123456/global/backendServices/789</c>.
    /// Required when <see cref="Enabled"/> is true.
    /// </summary>
    public List<string> Audiences { get; set; } = [];

    /// <summary>IAP's JWK set (ES256 keys).</summary>
    public string JwksUrl { get; set; } = "https://www.gstatic.com/iap/verify/public_key-jwk";

    /// <summary>Accepted issuer.</summary>
    public string Issuer { get; set; } = "https://cloud.google.com/iap";

    /// <summary>Allowed clock difference for <c>exp</c>, <c>nbf</c> and <c>iat</c>.</summary>
    public TimeSpan ClockSkew { get; set; } = TimeSpan.FromSeconds(30);
}
