namespace Platform.Gateway.Authentication;

/// <summary>Platform access tokens (<c>lpt_...</c>), bound from <c>Authentication:PlatformTokens</c>.</summary>
public sealed class PlatformTokenOptions
{
    public const string SectionName = "Authentication:PlatformTokens";

    /// <summary>Accept platform access tokens. On by default, because MLflow clients send a static token.</summary>
    public bool Enabled { get; set; } = true;
}
