using Microsoft.Extensions.Options;

namespace Platform.Gateway.Authentication;

/// <summary>Validates OIDC ID tokens (RS256) sent as <c>Authorization: Bearer</c>.</summary>
internal sealed class OidcTokenValidator
{
    private const string Algorithm = "RS256";

    private readonly SignedTokenValidator _validator;
    private readonly JsonWebKeySetCache _keySets;
    private readonly IOptionsMonitor<OidcOptions> _options;

    public OidcTokenValidator(SignedTokenValidator validator, JsonWebKeySetCache keySets, IOptionsMonitor<OidcOptions> options)
    {
        ArgumentNullException.ThrowIfNull(validator);
        ArgumentNullException.ThrowIfNull(keySets);
        ArgumentNullException.ThrowIfNull(options);

        _validator = validator;
        _keySets = keySets;
        _options = options;
    }

    /// <summary>Returns the caller, or an error that states why the ID token was rejected.</summary>
    public async Task<(GatewayIdentity? Identity, string? Error)> ValidateAsync(string idToken, CancellationToken cancellationToken)
    {
        var options = _options.CurrentValue;
        string jwksUrl;
        if (!string.IsNullOrWhiteSpace(options.JwksUrl))
        {
            jwksUrl = options.JwksUrl;
        }
        else
        {
            try
            {
                jwksUrl = await _keySets.ResolveJwksUrlAsync(options.MetadataAddress!, cancellationToken);
            }
            catch (KeySetUnavailableException ex)
            {
                return (null, "ID token rejected: " + ex.Message);
            }
        }

        var (token, error) = await _validator.ValidateAsync(
            idToken, jwksUrl, Algorithm, options.Issuers, options.ClientIds, options.ClockSkew, cancellationToken);
        if (token is null)
        {
            return (null, "ID token rejected: " + error);
        }

        if (!token.TryGetPayloadValue<string>("email", out var email) || string.IsNullOrWhiteSpace(email))
        {
            return (null, "ID token rejected: it has no email claim; request the 'email' scope.");
        }

        // An unverified email could belong to someone else, so it must not grant a tenant's data.
        if (!token.TryGetPayloadValue<bool>("email_verified", out var verified) || !verified)
        {
            return (null, $"ID token rejected: the email '{email}' is not verified.");
        }

        if (!string.IsNullOrWhiteSpace(options.HostedDomain) &&
            (!token.TryGetPayloadValue<string>("hd", out var domain) || !string.Equals(domain, options.HostedDomain, StringComparison.OrdinalIgnoreCase)))
        {
            return (null, $"ID token rejected: the account is not in the hosted domain '{options.HostedDomain}'.");
        }

        return (new GatewayIdentity(email.ToLowerInvariant(), "oidc", null), null);
    }
}
