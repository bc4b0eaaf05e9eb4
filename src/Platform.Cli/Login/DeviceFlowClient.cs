using System.Text.Json;

namespace Platform.Cli.Login;

/// <summary>
/// OAuth 2.0 device authorization grant (RFC 8628): request a user code, show it, poll the token
/// endpoint until the user approves, and refresh ID tokens with the refresh token.
/// </summary>
public sealed class DeviceFlowClient
{
    private const string DeviceCodeGrant = "urn:ietf:params:oauth:grant-type:device_code";

    // RFC 8628 section 3.5: the default polling interval, and the increase after each slow_down.
    private static readonly TimeSpan DefaultInterval = TimeSpan.FromSeconds(5);
    private static readonly TimeSpan SlowDownIncrease = TimeSpan.FromSeconds(5);

    private readonly HttpClient _http;
    private readonly CliEnvironment _environment;

    public DeviceFlowClient(HttpClient http, CliEnvironment environment)
    {
        ArgumentNullException.ThrowIfNull(http);
        ArgumentNullException.ThrowIfNull(environment);

        _http = http;
        _environment = environment;
    }

    /// <summary>Runs the whole flow and returns the token response (with <c>id_token</c> and usually <c>refresh_token</c>).</summary>
    public async Task<TokenResponse> LoginAsync(OidcEndpoints endpoints, string clientId, string? clientSecret, string scope, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(endpoints);

        // Step 1: ask for a device code and a user code.
        var authorization = await PostFormAsync(endpoints.DeviceAuthorizationEndpoint, new Dictionary<string, string>
        {
            ["client_id"] = clientId,
            ["scope"] = scope,
        }, cancellationToken);
        if (!authorization.IsSuccess)
        {
            throw new CliException($"The device authorization request was rejected: {authorization.DescribeError()}.", ExitCodes.Failure);
        }

        var root = authorization.Body.RootElement;
        var deviceCode = RequireString(root, "device_code");
        var userCode = RequireString(root, "user_code");
        var verificationUri = root.TryGetProperty("verification_uri", out var uri) ? uri.GetString() : root.TryGetProperty("verification_url", out var url) ? url.GetString() : null;
        var interval = root.TryGetProperty("interval", out var i) && i.TryGetInt32(out var seconds) ? TimeSpan.FromSeconds(seconds) : DefaultInterval;
        var expiresIn = root.TryGetProperty("expires_in", out var e) && e.TryGetInt32(out var expirySeconds) ? TimeSpan.FromSeconds(expirySeconds) : TimeSpan.FromMinutes(10);
        var deadline = _environment.Time.GetUtcNow() + expiresIn;

        // Step 2: show the code.
        await _environment.Error.WriteLineAsync($"To sign in, open {verificationUri} and enter the code {userCode}.");
        if (root.TryGetProperty("verification_uri_complete", out var complete) && complete.GetString() is { } completeUri)
        {
            await _environment.Error.WriteLineAsync($"Or open {completeUri} directly.");
        }

        // Step 3: poll until approved, denied or expired.
        var form = new Dictionary<string, string>
        {
            ["grant_type"] = DeviceCodeGrant,
            ["device_code"] = deviceCode,
            ["client_id"] = clientId,
        };
        if (clientSecret is not null)
        {
            form["client_secret"] = clientSecret;
        }

        while (true)
        {
            if (_environment.Time.GetUtcNow() >= deadline)
            {
                throw new CliException("The sign-in code expired before it was approved. Run 'labctl login' again.", ExitCodes.Failure);
            }

            await _environment.Delay(interval, cancellationToken);
            var response = await PostFormAsync(endpoints.TokenEndpoint, form, cancellationToken);
            if (response.IsSuccess)
            {
                return TokenResponse.From(response.Body.RootElement);
            }

            switch (response.ErrorCode)
            {
                case "authorization_pending":
                    continue;
                case "slow_down":
                    interval += SlowDownIncrease;
                    continue;
                case "access_denied":
                    throw new CliException("Sign-in was denied in the browser. Run 'labctl login' again to retry.", ExitCodes.NotAuthorized);
                case "expired_token":
                    throw new CliException("The sign-in code expired before it was approved. Run 'labctl login' again.", ExitCodes.Failure);
                default:
                    throw new CliException($"The token request failed: {response.DescribeError()}.", ExitCodes.Failure);
            }
        }
    }

    /// <summary>Exchanges a refresh token for a new ID token.</summary>
    public async Task<TokenResponse> RefreshAsync(StoredCredentials credentials, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(credentials);

        if (credentials.RefreshToken is null)
        {
            throw new CliException("The stored login has no refresh token. Run 'labctl login' again.", ExitCodes.NotAuthorized);
        }

        var form = new Dictionary<string, string>
        {
            ["grant_type"] = "refresh_token",
            ["refresh_token"] = credentials.RefreshToken,
            ["client_id"] = credentials.ClientId,
        };
        if (credentials.ClientSecret is not null)
        {
            form["client_secret"] = credentials.ClientSecret;
        }

        var response = await PostFormAsync(credentials.TokenEndpoint, form, cancellationToken);
        if (!response.IsSuccess)
        {
            throw new CliException($"Refreshing the ID token failed: {response.DescribeError()}. Run 'labctl login' again.", ExitCodes.NotAuthorized);
        }

        return TokenResponse.From(response.Body.RootElement);
    }

    private async Task<FormResponse> PostFormAsync(string endpoint, Dictionary<string, string> form, CancellationToken cancellationToken)
    {
        try
        {
            using var content = new FormUrlEncodedContent(form);
            using var response = await _http.PostAsync(endpoint, content, cancellationToken);
            var text = await response.Content.ReadAsStringAsync(cancellationToken);
            JsonDocument body;
            try
            {
                body = JsonDocument.Parse(text.Length == 0 ? "{}" : text);
            }
            catch (JsonException)
            {
                throw new CliException($"'{endpoint}' returned {(int)response.StatusCode} with a body that is not JSON; check --issuer.", ExitCodes.Failure);
            }

            return new FormResponse(response.IsSuccessStatusCode, (int)response.StatusCode, body);
        }
        catch (HttpRequestException ex)
        {
            throw new CliException($"Cannot reach '{endpoint}': {ex.Message}.", ExitCodes.Unreachable);
        }
    }

    private static string RequireString(JsonElement root, string name) =>
        root.TryGetProperty(name, out var value) && value.GetString() is { Length: > 0 } text
            ? text
            : throw new CliException($"The device authorization response lacks '{name}'.", ExitCodes.Failure);

    private sealed record FormResponse(bool IsSuccess, int StatusCode, JsonDocument Body)
    {
        public string? ErrorCode => Body.RootElement.TryGetProperty("error", out var e) ? e.GetString() : null;

        public string DescribeError()
        {
            var description = Body.RootElement.TryGetProperty("error_description", out var d) ? d.GetString() : null;
            return $"HTTP {StatusCode}, error '{ErrorCode ?? "none"}'" + (description is null ? string.Empty : $" ({description})");
        }
    }
}
