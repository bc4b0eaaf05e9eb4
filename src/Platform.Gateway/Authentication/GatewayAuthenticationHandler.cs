using System.Text;
using System.Text.Encodings.Web;
using Microsoft.AspNetCore.Authentication;
using Microsoft.Extensions.Options;
using Platform.Gateway.Tokens;

namespace Platform.Gateway.Authentication;

/// <summary>
/// Authenticates a request by the first credential present: the IAP header, then the bearer (or
/// Basic password) credential as admin token, platform token or OIDC ID token by its form.
/// A present but invalid credential fails the request; it never falls through to another method.
/// </summary>
internal sealed partial class GatewayAuthenticationHandler : AuthenticationHandler<AuthenticationSchemeOptions>
{
    public const string SchemeName = "LabPlatform";

    /// <summary>
    /// <see cref="HttpContext.Items"/> key of the failure message. The authentication middleware keeps
    /// only successful results, but the 401 body must state why a credential was rejected.
    /// </summary>
    public const string FailureItemKey = "LabPlatform.AuthenticationFailure";

    private readonly IapTokenValidator _iap;
    private readonly OidcTokenValidator _oidc;
    private readonly AccessTokenStore _tokens;
    private readonly AdminToken _adminToken;
    private readonly IOptionsMonitor<IapOptions> _iapOptions;
    private readonly IOptionsMonitor<OidcOptions> _oidcOptions;
    private readonly IOptionsMonitor<PlatformTokenOptions> _platformTokenOptions;
    private readonly TimeProvider _time;

    public GatewayAuthenticationHandler(
        IOptionsMonitor<AuthenticationSchemeOptions> options,
        ILoggerFactory logger,
        UrlEncoder encoder,
        IapTokenValidator iap,
        OidcTokenValidator oidc,
        AccessTokenStore tokens,
        AdminToken adminToken,
        IOptionsMonitor<IapOptions> iapOptions,
        IOptionsMonitor<OidcOptions> oidcOptions,
        IOptionsMonitor<PlatformTokenOptions> platformTokenOptions,
        TimeProvider time)
        : base(options, logger, encoder)
    {
        _iap = iap;
        _oidc = oidc;
        _tokens = tokens;
        _adminToken = adminToken;
        _iapOptions = iapOptions;
        _oidcOptions = oidcOptions;
        _platformTokenOptions = platformTokenOptions;
        _time = time;
    }

    protected override async Task<AuthenticateResult> HandleAuthenticateAsync()
    {
        var cancellationToken = Context.RequestAborted;
        if (_iapOptions.CurrentValue.Enabled && Request.Headers.TryGetValue(IapTokenValidator.HeaderName, out var assertion))
        {
            var (identity, error) = await _iap.ValidateAsync(assertion.ToString(), cancellationToken);
            return Complete(identity, error);
        }

        var credential = ReadCredential(Request);
        if (credential is null)
        {
            return AuthenticateResult.NoResult();
        }

        if (credential.StartsWith(AccessTokenFormat.AdminTokenPrefix, StringComparison.Ordinal))
        {
            return _adminToken.Matches(credential)
                ? Complete(new GatewayIdentity("admin", "admin-token", null), null)
                : Complete(null, "The admin token is invalid.");
        }

        if (credential.StartsWith(AccessTokenFormat.AccessTokenPrefix, StringComparison.Ordinal))
        {
            if (!_platformTokenOptions.CurrentValue.Enabled)
            {
                return Complete(null, "Platform access tokens are disabled on this gateway; use an ID token.");
            }

            var (identity, error) = ValidatePlatformToken(credential);
            if (identity is not null)
            {
                await _tokens.TouchAsync(credential, cancellationToken);
            }

            return Complete(identity, error);
        }

        if (_oidcOptions.CurrentValue.Enabled)
        {
            var (identity, error) = await _oidc.ValidateAsync(credential, cancellationToken);
            return Complete(identity, error);
        }

        return Complete(null, "The bearer token is neither a platform token nor an accepted ID token (OIDC is disabled on this gateway).");
    }

    private (GatewayIdentity? Identity, string? Error) ValidatePlatformToken(string secret)
    {
        var token = _tokens.Find(secret);
        if (token is null)
        {
            return (null, "The platform token is unknown.");
        }

        if (token.RevokedAt is not null)
        {
            return (null, $"The platform token {token.Id} was revoked at {token.RevokedAt:O}.");
        }

        if (token.ExpiresAt is { } expiresAt && expiresAt <= _time.GetUtcNow())
        {
            return (null, $"The platform token {token.Id} expired at {expiresAt:O}; create a new one with 'labctl token create'.");
        }

        return (new GatewayIdentity(token.UserEmail, "platform-token", token.Tenant), null);
    }

    private AuthenticateResult Complete(GatewayIdentity? identity, string? error)
    {
        if (identity is null)
        {
            Log.AuthenticationFailed(Logger, Request.Path, error ?? "unknown");
            Context.Items[FailureItemKey] = error;
            return AuthenticateResult.Fail(error ?? "Authentication failed.");
        }

        var principal = GatewayClaims.ToPrincipal(identity);
        return AuthenticateResult.Success(new AuthenticationTicket(principal, SchemeName));
    }

    // MLflow clients send 'Bearer <MLFLOW_TRACKING_TOKEN>', or Basic when MLFLOW_TRACKING_USERNAME and
    // MLFLOW_TRACKING_PASSWORD are set; then the password carries the token.
    private static string? ReadCredential(HttpRequest request)
    {
        var header = request.Headers.Authorization.ToString();
        if (header.StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase))
        {
            var token = header["Bearer ".Length..].Trim();
            return token.Length > 0 ? token : null;
        }

        if (header.StartsWith("Basic ", StringComparison.OrdinalIgnoreCase))
        {
            try
            {
                var decoded = Encoding.UTF8.GetString(Convert.FromBase64String(header["Basic ".Length..].Trim()));
                var colon = decoded.IndexOf(':', StringComparison.Ordinal);
                return colon >= 0 && colon < decoded.Length - 1 ? decoded[(colon + 1)..] : null;
            }
            catch (FormatException)
            {
                return null;
            }
        }

        return null;
    }

    private static partial class Log
    {
        [LoggerMessage(EventId = 2001, Level = LogLevel.Debug, Message = "Authentication failed for {RequestPath}: {Reason}")]
        public static partial void AuthenticationFailed(ILogger logger, PathString requestPath, string reason);
    }
}
