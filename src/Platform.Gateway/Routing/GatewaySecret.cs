using System.Security.Cryptography;

namespace Platform.Gateway.Routing;

/// <summary>The shared secret sent to tracking servers in <c>X-LabPlatform-Gateway-Secret</c>.</summary>
public sealed class GatewaySecret
{
    public GatewaySecret(string value)
    {
        ArgumentException.ThrowIfNullOrEmpty(value);
        Value = value;
    }

    public string Value { get; }

    /// <summary>Creates a random secret (32 bytes, hex), used in local mode where the gateway starts its own tracking servers.</summary>
    public static GatewaySecret Generate() => new(Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(32)));
}
