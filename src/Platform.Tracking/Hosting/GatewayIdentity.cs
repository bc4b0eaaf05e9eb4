using System.Security.Cryptography;
using System.Text;

namespace Platform.Tracking.Hosting;

/// <summary>
/// Reads the caller identity that the gateway sets. <c>X-LabPlatform-User</c> counts only when
/// <c>X-LabPlatform-Gateway-Secret</c> equals the configured secret (compared in constant time). Without a
/// configured secret the header is ignored.
/// </summary>
public sealed class GatewayIdentity
{
    public const string UserHeader = "X-LabPlatform-User";
    public const string SecretHeader = "X-LabPlatform-Gateway-Secret";

    private readonly byte[]? _secret;

    public GatewayIdentity(string? secret)
    {
        _secret = string.IsNullOrEmpty(secret) ? null : Encoding.UTF8.GetBytes(secret);
    }

    /// <summary>Returns whether the request carries the configured gateway secret; false when none is configured.</summary>
    public bool HasGatewaySecret(HttpRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);

        var presented = request.Headers[SecretHeader].ToString();
        return _secret is not null && presented.Length > 0
            && CryptographicOperations.FixedTimeEquals(Encoding.UTF8.GetBytes(presented), _secret);
    }

    /// <summary>Returns the trusted user email of the request, or null when there is none.</summary>
    public string? GetUser(HttpRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);

        if (_secret is null)
        {
            return null;
        }

        var user = request.Headers[UserHeader].ToString();
        var presented = request.Headers[SecretHeader].ToString();
        if (user.Length == 0 || presented.Length == 0)
        {
            return null;
        }

        return CryptographicOperations.FixedTimeEquals(Encoding.UTF8.GetBytes(presented), _secret) ? user : null;
    }
}
