using System.Text.Json.Serialization;

namespace Platform.Cli.Login;

/// <summary>Contents of <c>credentials.json</c>: the OIDC client, the refresh token and the current ID token.</summary>
public sealed record StoredCredentials
{
    [JsonPropertyName("issuer")]
    public required string Issuer { get; init; }

    [JsonPropertyName("client_id")]
    public required string ClientId { get; init; }

    /// <summary>Client secret of an installed-app client, which Google requires on the token endpoint even though it is not confidential.</summary>
    [JsonPropertyName("client_secret")]
    public string? ClientSecret { get; init; }

    [JsonPropertyName("token_endpoint")]
    public required string TokenEndpoint { get; init; }

    [JsonPropertyName("refresh_token")]
    public string? RefreshToken { get; init; }

    [JsonPropertyName("id_token")]
    public required string IdToken { get; init; }
}
