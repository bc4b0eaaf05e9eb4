using System.Net.Http.Headers;
using System.Text.Json;

namespace Platform.MainJob;

/// <summary>
/// Revokes the platform tokens that earlier main-job runs minted, so that each run leaves one active token for the
/// owner instead of one more. A main-job token is recognized by its user, its tenant and the description
/// <see cref="TokenDescription"/>. Tokens minted another way, or by a main job older than that description, stay active.
/// </summary>
internal sealed class EarlierTokenRevoker
{
    /// <summary>Description that the main job gives every token it mints (<c>labctl token create --description</c>).</summary>
    public const string TokenDescription = "minted by the main job (make run)";

    private readonly HttpClient _http;
    private readonly string _adminToken;

    /// <param name="http">Client whose base address is the gateway.</param>
    /// <param name="adminToken">The gateway's admin token, for <c>/admin/v1/tokens</c>.</param>
    public EarlierTokenRevoker(HttpClient http, string adminToken)
    {
        _http = http;
        _adminToken = adminToken;
    }

    /// <summary>Revokes every active main-job token of <paramref name="user"/> for <paramref name="tenant"/> and returns their ids.</summary>
    public async Task<IReadOnlyList<string>> RevokeAsync(string user, string tenant, CancellationToken cancellationToken)
    {
        using var list = await SendAsync(HttpMethod.Get, "/admin/v1/tokens", cancellationToken);
        using var json = JsonDocument.Parse(await list.Content.ReadAsStreamAsync(cancellationToken));
        var ids = json.RootElement.GetProperty("tokens").EnumerateArray()
            .Where(token => IsActiveMainJobToken(token, user, tenant))
            .Select(token => token.GetProperty("id").GetString()!)
            .ToList();

        foreach (var id in ids)
        {
            using var _ = await SendAsync(HttpMethod.Delete, "/admin/v1/tokens/" + Uri.EscapeDataString(id), cancellationToken);
        }

        return ids;
    }

    private static bool IsActiveMainJobToken(JsonElement token, string user, string tenant) =>
        token.GetProperty("user").GetString() == user &&
        token.TryGetProperty("tenant", out var scope) && scope.ValueKind == JsonValueKind.String && scope.GetString() == tenant &&
        token.TryGetProperty("description", out var description) && description.ValueKind == JsonValueKind.String && description.GetString() == TokenDescription &&
        (!token.TryGetProperty("revoked_at", out var revokedAt) || revokedAt.ValueKind == JsonValueKind.Null);

    private async Task<HttpResponseMessage> SendAsync(HttpMethod method, string path, CancellationToken cancellationToken)
    {
        using var request = new HttpRequestMessage(method, path);
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", _adminToken);
        var response = await _http.SendAsync(request, cancellationToken);
        if (!response.IsSuccessStatusCode)
        {
            var body = await response.Content.ReadAsStringAsync(cancellationToken);
            response.Dispose();
            throw new MainJobException($"{method} {path} on the gateway's admin API failed with HTTP {(int)response.StatusCode}: {body}");
        }

        return response;
    }
}
