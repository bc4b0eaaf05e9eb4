namespace Platform.Gateway.Authentication;

/// <summary>OIDC bearer ID-token authentication, bound from <c>Authentication:Oidc</c>. Defaults are Google's.</summary>
public sealed class OidcOptions
{
    public const string SectionName = "Authentication:Oidc";

    /// <summary>Accept <c>Authorization: Bearer &lt;ID token&gt;</c>. Off by default.</summary>
    public bool Enabled { get; set; }

    /// <summary>Accepted issuers. Google issues both forms.</summary>
    public List<string> Issuers { get; set; } = ["https://accounts.google.com", "accounts.google.com"];

    /// <summary>Accepted audiences: the OAuth client IDs of the web app and of <c>labctl</c>. Required when enabled.</summary>
    public List<string> ClientIds { get; set; } = [];

    /// <summary>
    /// Discovery document whose <c>jwks_uri</c> gives the signing keys; used when <see cref="JwksUrl"/> is empty.
    /// </summary>
    public string? MetadataAddress { get; set; }

    /// <summary>Signing keys (RS256). Empty means: read <c>jwks_uri</c> from <see cref="MetadataAddress"/>.</summary>
    public string? JwksUrl { get; set; } = "https://www.googleapis.com/oauth2/v3/certs";

    /// <summary>When set, only accounts of this Google Workspace domain (the <c>hd</c> claim) are accepted.</summary>
    public string? HostedDomain { get; set; }

    /// <summary>Allowed clock difference for <c>exp</c> and <c>nbf</c>.</summary>
    public TimeSpan ClockSkew { get; set; } = TimeSpan.FromSeconds(30);
}
