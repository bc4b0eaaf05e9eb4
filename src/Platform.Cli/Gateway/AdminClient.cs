using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace Platform.Cli.Gateway;

/// <summary>Calls the gateway's admin API (<c>/admin/v1/</c>) with the admin token.</summary>
public sealed class AdminClient : IDisposable
{
    private readonly HttpClient _http;
    private readonly GatewaySettings _settings;

    public AdminClient(GatewaySettings settings)
    {
        ArgumentNullException.ThrowIfNull(settings);

        _settings = settings;
        _http = new HttpClient { BaseAddress = settings.GatewayUrl, Timeout = TimeSpan.FromMinutes(2) };
        _http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", settings.ResolveAdminToken());
    }

    /// <summary>Sends a request and returns the JSON response; throws <see cref="CliException"/> with the gateway's error message otherwise.</summary>
    public async Task<JsonNode> SendAsync(HttpMethod method, string path, object? body, CancellationToken cancellationToken)
    {
        using var request = new HttpRequestMessage(method, path.TrimStart('/'));
        if (body is not null)
        {
            request.Content = JsonContent.Create(body, options: JsonOptions);
        }

        HttpResponseMessage response;
        try
        {
            response = await _http.SendAsync(request, cancellationToken);
        }
        catch (HttpRequestException ex)
        {
            throw new CliException(
                $"Cannot reach the gateway at {_settings.GatewayUrl}: {ex.Message}. {GatewaySettings.StartHint}",
                ExitCodes.Unreachable);
        }

        using (response)
        {
            var text = await response.Content.ReadAsStringAsync(cancellationToken);
            if (response.IsSuccessStatusCode)
            {
                return JsonNode.Parse(text) ?? new JsonObject();
            }

            var described = GatewayError.Describe(response.StatusCode, text);
            if (response.StatusCode == HttpStatusCode.Unauthorized)
            {
                throw new CliException(_settings.DescribeRejectedAdminToken(described), ExitCodes.NotAuthorized);
            }

            throw new CliException($"The gateway rejected {method} {path}: {described}", ExitCodeFor(response.StatusCode));
        }
    }

    public void Dispose() => _http.Dispose();

    /// <summary>JSON settings matching the admin API (snake_case names).</summary>
    public static JsonSerializerOptions JsonOptions { get; } = new() { PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower };

    private static int ExitCodeFor(HttpStatusCode status) => status switch
    {
        HttpStatusCode.Unauthorized or HttpStatusCode.Forbidden => ExitCodes.NotAuthorized,
        HttpStatusCode.NotFound or HttpStatusCode.Conflict => ExitCodes.NotFound,
        HttpStatusCode.BadRequest => ExitCodes.InvalidArguments,
        _ => ExitCodes.Failure,
    };
}
