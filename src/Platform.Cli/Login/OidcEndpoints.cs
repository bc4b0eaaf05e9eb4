using System.Text.Json;

namespace Platform.Cli.Login;

/// <summary>The OIDC endpoints <c>labctl login</c> needs, read from the issuer's discovery document.</summary>
public sealed record OidcEndpoints(string DeviceAuthorizationEndpoint, string TokenEndpoint)
{
    /// <summary>Reads <c>{issuer}/.well-known/openid-configuration</c>; throws <see cref="CliException"/> when it is unreachable or incomplete.</summary>
    public static async Task<OidcEndpoints> DiscoverAsync(HttpClient http, string issuer, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(http);

        var url = issuer.TrimEnd('/') + "/.well-known/openid-configuration";
        JsonDocument document;
        try
        {
            await using var stream = await http.GetStreamAsync(url, cancellationToken);
            document = await JsonDocument.ParseAsync(stream, cancellationToken: cancellationToken);
        }
        catch (HttpRequestException ex)
        {
            throw new CliException($"Cannot read the discovery document '{url}': {ex.Message}. Check --issuer.", ExitCodes.Unreachable);
        }
        catch (JsonException ex)
        {
            throw new CliException($"The discovery document '{url}' is not valid JSON: {ex.Message}.", ExitCodes.Failure);
        }

        using (document)
        {
            var root = document.RootElement;
            var device = root.TryGetProperty("device_authorization_endpoint", out var d) ? d.GetString() : null;
            var token = root.TryGetProperty("token_endpoint", out var t) ? t.GetString() : null;
            if (string.IsNullOrWhiteSpace(device) || string.IsNullOrWhiteSpace(token))
            {
                throw new CliException(
                    $"The discovery document '{url}' lacks device_authorization_endpoint or token_endpoint, so this provider does not support the device flow.",
                    ExitCodes.Failure);
            }

            return new OidcEndpoints(device, token);
        }
    }
}
