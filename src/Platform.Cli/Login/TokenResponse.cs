using System.Text.Json;

namespace Platform.Cli.Login;

/// <summary>The parts of an OAuth token response that <c>labctl</c> keeps.</summary>
public sealed record TokenResponse(string IdToken, string? RefreshToken)
{
    /// <summary>Reads a token endpoint response; throws <see cref="CliException"/> when it has no <c>id_token</c> (the <c>openid</c> scope is missing).</summary>
    public static TokenResponse From(JsonElement root)
    {
        var idToken = root.TryGetProperty("id_token", out var id) ? id.GetString() : null;
        if (string.IsNullOrWhiteSpace(idToken))
        {
            throw new CliException("The token response has no id_token; request the 'openid' scope.", ExitCodes.Failure);
        }

        var refreshToken = root.TryGetProperty("refresh_token", out var refresh) ? refresh.GetString() : null;
        return new TokenResponse(idToken, refreshToken);
    }
}
