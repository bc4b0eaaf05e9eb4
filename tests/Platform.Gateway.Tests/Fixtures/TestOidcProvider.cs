using System.Collections.Concurrent;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;

namespace Platform.Testing.Oidc;

/// <summary>
/// An OIDC provider on 127.0.0.1 for tests, with keys generated per instance: RS256 keys for ID
/// tokens, an ES256 key for IAP assertions, JWK set endpoints, discovery, and scripted device
/// authorization and token endpoints (RFC 8628).
/// </summary>
public sealed class TestOidcProvider : IAsyncDisposable
{
    private readonly WebApplication _app;
    private readonly List<(string KeyId, RSA Key)> _rsaKeys = [];
    private readonly ECDsa _iapKey = ECDsa.Create(ECCurve.NamedCurves.nistP256);
    private readonly Lock _keysLock = new();
    private int _oidcKeySetRequests;

    private TestOidcProvider(WebApplication app)
    {
        _app = app;
        _rsaKeys.Add(("rsa-1", RSA.Create(2048)));
    }

    /// <summary>Base URL, also the issuer of ID tokens.</summary>
    public string Issuer { get; private set; } = string.Empty;

    public string OidcJwksUrl => Issuer + "/jwks";

    public string IapJwksUrl => Issuer + "/iap/jwk";

    public const string IapIssuer = "https://cloud.google.com/iap";

    public const string IapAudience = "/projects/123456/global/backendServices/789";

    public const string ClientId = "labctl-test-client";

    /// <summary>How often the OIDC JWK set was fetched.</summary>
    public int OidcKeySetRequests => Volatile.Read(ref _oidcKeySetRequests);

    /// <summary>Scripted responses of the token endpoint for the device-code grant, returned in order.</summary>
    public ConcurrentQueue<(int StatusCode, object Body)> DeviceTokenResponses { get; } = new();

    /// <summary>Answer of the device authorization endpoint.</summary>
    public object DeviceAuthorizationResponse { get; set; } = new
    {
        device_code = "device-code-1",
        user_code = "ABCD-EFGH",
        verification_uri = "https://provider.test/device",
        expires_in = 600,
        interval = 5,
    };

    /// <summary>Form bodies posted to the token endpoint, in order.</summary>
    public ConcurrentQueue<Dictionary<string, string>> TokenRequests { get; } = new();

    /// <summary>ID token returned for refresh-token grants. When null, the endpoint returns invalid_grant.</summary>
    public Func<string>? RefreshedIdToken { get; set; }

    public static async Task<TestOidcProvider> StartAsync()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.Logging.ClearProviders();
        var app = builder.Build();
        var provider = new TestOidcProvider(app);
        provider.MapEndpoints();
        await app.StartAsync();
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        provider.Issuer = address.TrimEnd('/');
        return provider;
    }

    /// <summary>Adds a new RSA key that signs from now on; the old key stays in the JWK set.</summary>
    public string RotateOidcKey()
    {
        lock (_keysLock)
        {
            var keyId = $"rsa-{_rsaKeys.Count + 1}";
            _rsaKeys.Add((keyId, RSA.Create(2048)));
            return keyId;
        }
    }

    /// <summary>Creates an RS256 ID token; every claim can be overridden for negative tests.</summary>
    public string CreateIdToken(
        string email,
        string? audience = null,
        string? issuer = null,
        DateTime? expires = null,
        DateTime? notBefore = null,
        bool emailVerified = true,
        string? hostedDomain = null,
        RSA? signingKey = null,
        string? keyId = null)
    {
        (string KeyId, RSA Key) current;
        lock (_keysLock)
        {
            current = _rsaKeys[^1];
        }

        var claims = new Dictionary<string, object>
        {
            ["email"] = email,
            ["email_verified"] = emailVerified,
            ["sub"] = "sub-" + email,
        };
        if (hostedDomain is not null)
        {
            claims["hd"] = hostedDomain;
        }

        var key = new RsaSecurityKey(signingKey ?? current.Key) { KeyId = keyId ?? current.KeyId };
        return Sign(claims, issuer ?? Issuer, audience ?? ClientId, expires, notBefore, new SigningCredentials(key, SecurityAlgorithms.RsaSha256));
    }

    /// <summary>Creates an ES256 IAP assertion.</summary>
    public string CreateIapAssertion(string email, string? audience = null, DateTime? expires = null, DateTime? issuedAt = null)
    {
        var claims = new Dictionary<string, object> { ["email"] = email, ["sub"] = "accounts.google.com:" + email };
        var key = new ECDsaSecurityKey(_iapKey) { KeyId = "iap-1" };
        var descriptor = Descriptor(claims, IapIssuer, audience ?? IapAudience, expires, null, new SigningCredentials(key, SecurityAlgorithms.EcdsaSha256));
        if (issuedAt is not null)
        {
            descriptor.IssuedAt = issuedAt;
        }

        return new JsonWebTokenHandler { SetDefaultTimesOnTokenCreation = false }.CreateToken(descriptor);
    }

    /// <summary>Creates an IAP-shaped assertion signed with RS256 instead of ES256.</summary>
    public string CreateIapAssertionWithRsa(string email)
    {
        var claims = new Dictionary<string, object> { ["email"] = email };
        var key = new RsaSecurityKey(_rsaKeys[0].Key) { KeyId = "iap-1" };
        return Sign(claims, IapIssuer, IapAudience, null, null, new SigningCredentials(key, SecurityAlgorithms.RsaSha256));
    }

    /// <summary>Creates an ID token with <c>alg: none</c> and no signature.</summary>
    public string CreateUnsignedIdToken(string email)
    {
        var header = Base64Url(JsonSerializer.SerializeToUtf8Bytes(new { alg = "none", typ = "JWT", kid = _rsaKeys[0].KeyId }));
        var payload = Base64Url(JsonSerializer.SerializeToUtf8Bytes(DefaultPayload(email)));
        return $"{header}.{payload}.";
    }

    /// <summary>
    /// Creates an HS256 token whose HMAC key is the provider's public RSA key in PEM form: the
    /// classic algorithm-confusion attack on verifiers that let the token choose the algorithm.
    /// </summary>
    public string CreateHs256WithPublicKey(string email)
    {
        var publicPem = _rsaKeys[0].Key.ExportSubjectPublicKeyInfoPem();
        var header = Base64Url(JsonSerializer.SerializeToUtf8Bytes(new { alg = "HS256", typ = "JWT", kid = _rsaKeys[0].KeyId }));
        var payload = Base64Url(JsonSerializer.SerializeToUtf8Bytes(DefaultPayload(email)));
        var signature = HMACSHA256.HashData(Encoding.UTF8.GetBytes(publicPem), Encoding.ASCII.GetBytes($"{header}.{payload}"));
        return $"{header}.{payload}.{Base64Url(signature)}";
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }

    private Dictionary<string, object> DefaultPayload(string email)
    {
        var now = DateTimeOffset.UtcNow.ToUnixTimeSeconds();
        return new Dictionary<string, object>
        {
            ["iss"] = Issuer,
            ["aud"] = ClientId,
            ["email"] = email,
            ["email_verified"] = true,
            ["iat"] = now,
            ["exp"] = now + 3600,
        };
    }

    private static string Sign(Dictionary<string, object> claims, string issuer, string audience, DateTime? expires, DateTime? notBefore, SigningCredentials credentials) =>
        new JsonWebTokenHandler { SetDefaultTimesOnTokenCreation = false }.CreateToken(Descriptor(claims, issuer, audience, expires, notBefore, credentials));

    private static SecurityTokenDescriptor Descriptor(Dictionary<string, object> claims, string issuer, string audience, DateTime? expires, DateTime? notBefore, SigningCredentials credentials)
    {
        var now = DateTime.UtcNow;
        var exp = expires ?? now.AddHours(1);
        return new SecurityTokenDescriptor
        {
            Claims = claims,
            Issuer = issuer,
            Audience = audience,
            Expires = exp,
            NotBefore = notBefore ?? (exp < now ? exp.AddHours(-1) : now.AddMinutes(-1)),
            IssuedAt = notBefore ?? (exp < now ? exp.AddHours(-1) : now.AddMinutes(-1)),
            SigningCredentials = credentials,
        };
    }

    private void MapEndpoints()
    {
        _app.MapGet("/.well-known/openid-configuration", () => Results.Json(new
        {
            issuer = Issuer,
            jwks_uri = OidcJwksUrl,
            device_authorization_endpoint = Issuer + "/device/code",
            token_endpoint = Issuer + "/token",
            id_token_signing_alg_values_supported = new[] { "RS256" },
        }));

        _app.MapGet("/jwks", () =>
        {
            Interlocked.Increment(ref _oidcKeySetRequests);
            List<object> keys;
            lock (_keysLock)
            {
                keys = [.. _rsaKeys.Select(k => RsaJwk(k.KeyId, k.Key))];
            }

            return Results.Json(new { keys });
        });

        _app.MapGet("/iap/jwk", () =>
        {
            var parameters = _iapKey.ExportParameters(false);
            return Results.Json(new
            {
                keys = new[]
                {
                    new { kty = "EC", alg = "ES256", use = "sig", kid = "iap-1", crv = "P-256", x = Base64Url(parameters.Q.X!), y = Base64Url(parameters.Q.Y!) },
                },
            });
        });

        _app.MapPost("/device/code", () => Results.Json(DeviceAuthorizationResponse));

        _app.MapPost("/token", async (HttpRequest request) =>
        {
            var form = await request.ReadFormAsync();
            var fields = form.ToDictionary(f => f.Key, f => f.Value.ToString());
            TokenRequests.Enqueue(fields);
            if (fields.GetValueOrDefault("grant_type") == "refresh_token")
            {
                return RefreshedIdToken is null
                    ? Results.Json(new { error = "invalid_grant" }, statusCode: 400)
                    : Results.Json(new { id_token = RefreshedIdToken(), token_type = "Bearer", expires_in = 3600 });
            }

            return DeviceTokenResponses.TryDequeue(out var next)
                ? Results.Json(next.Body, statusCode: next.StatusCode)
                : Results.Json(new { error = "authorization_pending" }, statusCode: 400);
        });
    }

    private static object RsaJwk(string keyId, RSA key)
    {
        var parameters = key.ExportParameters(false);
        return new { kty = "RSA", alg = "RS256", use = "sig", kid = keyId, n = Base64Url(parameters.Modulus!), e = Base64Url(parameters.Exponent!) };
    }

    private static string Base64Url(byte[] bytes) => Convert.ToBase64String(bytes).TrimEnd('=').Replace('+', '-').Replace('/', '_');
}
