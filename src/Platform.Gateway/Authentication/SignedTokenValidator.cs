using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;

namespace Platform.Gateway.Authentication;

/// <summary>
/// Checks a JWT's signature, algorithm, issuer, audience and lifetime against one issuer's pinned
/// settings; the IAP and OIDC validators add their claim rules on top.
/// </summary>
internal sealed class SignedTokenValidator
{
    private readonly JsonWebTokenHandler _handler = new() { MapInboundClaims = false };
    private readonly JsonWebKeySetCache _keySets;

    public SignedTokenValidator(JsonWebKeySetCache keySets)
    {
        ArgumentNullException.ThrowIfNull(keySets);
        _keySets = keySets;
    }

    /// <summary>
    /// Validates <paramref name="token"/> and returns the parsed token, or an error message that names
    /// the failed check.
    /// </summary>
    public async Task<(JsonWebToken? Token, string? Error)> ValidateAsync(
        string token,
        string jwksUrl,
        string algorithm,
        IReadOnlyCollection<string> issuers,
        IReadOnlyCollection<string> audiences,
        TimeSpan clockSkew,
        CancellationToken cancellationToken)
    {
        JsonWebToken parsed;
        try
        {
            parsed = _handler.ReadJsonWebToken(token);
        }
        catch (ArgumentException)
        {
            return (null, "The token is not a well-formed JWT.");
        }

        // Checked before any key lookup: 'none' and HS256-with-a-public-key tokens fail here, and
        // an attacker cannot make the gateway fetch keys for an algorithm it never accepts.
        if (!string.Equals(parsed.Alg, algorithm, StringComparison.Ordinal))
        {
            return (null, $"The token's algorithm '{parsed.Alg}' is not accepted; this issuer must sign with {algorithm}.");
        }

        IReadOnlyList<SecurityKey> keys;
        try
        {
            keys = await _keySets.GetKeysAsync(jwksUrl, parsed.Kid, cancellationToken);
        }
        catch (KeySetUnavailableException ex)
        {
            return (null, ex.Message);
        }

        var parameters = new TokenValidationParameters
        {
            ValidIssuers = issuers,
            ValidAudiences = audiences,
            IssuerSigningKeys = keys,
            ValidAlgorithms = [algorithm],
            ClockSkew = clockSkew,
            RequireSignedTokens = true,
            RequireExpirationTime = true,
            ValidateIssuer = true,
            ValidateAudience = true,
            ValidateLifetime = true,
            ValidateIssuerSigningKey = true,

            // Only the key named by kid may verify, so a token with an unknown kid triggers a key-set refresh instead of a trial of every key.
            TryAllIssuerSigningKeys = false,
        };
        var result = await _handler.ValidateTokenAsync(parsed, parameters);
        if (!result.IsValid)
        {
            return (null, Describe(result.Exception));
        }

        return (parsed, null);
    }

    // Library messages are long and name internal types; these short forms name only the failed check.
    private static string Describe(Exception? exception) => exception switch
    {
        SecurityTokenExpiredException => "The token has expired.",
        SecurityTokenNotYetValidException => "The token is not valid yet (nbf is in the future).",
        SecurityTokenInvalidIssuerException => "The token's issuer is not accepted.",
        SecurityTokenInvalidAudienceException => "The token's audience is not accepted.",
        SecurityTokenSignatureKeyNotFoundException => "The token's signing key (kid) is unknown.",
        SecurityTokenInvalidSignatureException => "The token's signature is invalid.",
        SecurityTokenNoExpirationException => "The token has no expiry (exp).",
        SecurityTokenInvalidAlgorithmException => "The token's algorithm is not accepted.",
        _ => "The token is invalid.",
    };
}
