using Microsoft.Extensions.Options;

namespace Platform.Gateway.Authentication;

/// <summary>Validates the Cloud IAP signed header <c>x-goog-iap-jwt-assertion</c> (ES256).</summary>
internal sealed class IapTokenValidator
{
    /// <summary>Request header IAP signs.</summary>
    public const string HeaderName = "x-goog-iap-jwt-assertion";

    private const string Algorithm = "ES256";

    private readonly SignedTokenValidator _validator;
    private readonly IOptionsMonitor<IapOptions> _options;
    private readonly TimeProvider _time;

    public IapTokenValidator(SignedTokenValidator validator, IOptionsMonitor<IapOptions> options, TimeProvider time)
    {
        ArgumentNullException.ThrowIfNull(validator);
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(time);

        _validator = validator;
        _options = options;
        _time = time;
    }

    /// <summary>Returns the caller, or an error that states why the assertion was rejected.</summary>
    public async Task<(GatewayIdentity? Identity, string? Error)> ValidateAsync(string assertion, CancellationToken cancellationToken)
    {
        var options = _options.CurrentValue;
        var (token, error) = await _validator.ValidateAsync(
            assertion, options.JwksUrl, Algorithm, [options.Issuer], options.Audiences, options.ClockSkew, cancellationToken);
        if (token is null)
        {
            return (null, "IAP assertion rejected: " + error);
        }

        // IAP requires iat in the past; the JWT library checks only exp and nbf.
        if (!token.TryGetPayloadValue<long>("iat", out var issuedAt) ||
            DateTimeOffset.FromUnixTimeSeconds(issuedAt) > _time.GetUtcNow() + options.ClockSkew)
        {
            return (null, "IAP assertion rejected: iat is missing or in the future.");
        }

        if (!token.TryGetPayloadValue<string>("email", out var email) || string.IsNullOrWhiteSpace(email))
        {
            return (null, "IAP assertion rejected: it has no email claim.");
        }

        return (new GatewayIdentity(email.ToLowerInvariant(), "iap", null), null);
    }
}
