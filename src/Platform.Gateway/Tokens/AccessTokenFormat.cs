using System.Security.Cryptography;
using System.Text;

namespace Platform.Gateway.Tokens;

/// <summary>
/// Format of platform secrets: a recognisable prefix plus 32 random bytes in base64url, so secret
/// scanners can spot a leaked token and the gateway can tell it from a JWT without parsing.
/// </summary>
public static class AccessTokenFormat
{
    /// <summary>Prefix of user access tokens.</summary>
    public const string AccessTokenPrefix = "lpt_";

    /// <summary>Prefix of the bootstrap admin token.</summary>
    public const string AdminTokenPrefix = "lpa_";

    /// <summary>Generates a new secret with <paramref name="prefix"/>.</summary>
    public static string Generate(string prefix) => prefix + Base64UrlEncode(RandomNumberGenerator.GetBytes(32));

    /// <summary>Generates a token id (not secret): <c>tok_</c> and 16 hex digits.</summary>
    public static string GenerateId() => "tok_" + Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(8));

    /// <summary>Returns the lowercase hex SHA-256 of the token's UTF-8 bytes, the form stored in the database.</summary>
    public static string Hash(string token) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(token)));

    private static string Base64UrlEncode(byte[] bytes) =>
        Convert.ToBase64String(bytes).TrimEnd('=').Replace('+', '-').Replace('/', '_');
}
