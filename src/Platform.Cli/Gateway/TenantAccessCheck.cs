using System.Net;
using System.Net.Http.Headers;

namespace Platform.Cli.Gateway;

/// <summary>
/// Checks through the gateway that a tenant exists and that a token may use it, by sending
/// <c>GET /u/&lt;tenant&gt;/healthz</c> with the token. The gateway authenticates, authorizes and
/// routes that request like any tracking call, and the tracking server responds to it without
/// touching its database.
/// </summary>
internal static class TenantAccessCheck
{
    /// <summary>
    /// Returns when the gateway routed the request to the tenant's server. Throws <see cref="CliException"/>
    /// when the tenant does not exist, the gateway rejects the token or cannot be reached. When the tenant
    /// exists but the check of its server failed (for example, because it is still starting), writes a
    /// warning to standard error and returns, because the exported settings work once the server is up.
    /// </summary>
    public static async Task RunAsync(HttpClient http, Uri gatewayUrl, string tenant, string token, CliEnvironment environment, CancellationToken cancellationToken)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, new Uri(gatewayUrl, $"u/{tenant}/healthz"));
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);

        HttpResponseMessage response;
        try
        {
            response = await http.SendAsync(request, cancellationToken);
        }
        catch (HttpRequestException ex)
        {
            throw new CliException(
                $"Cannot reach the gateway at {gatewayUrl} to check tenant '{tenant}': {ex.Message}. {GatewaySettings.StartHint}",
                ExitCodes.Unreachable);
        }
        catch (TaskCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            throw new CliException(
                $"The gateway at {gatewayUrl} did not answer within {http.Timeout.TotalSeconds:0} seconds while checking tenant '{tenant}'.",
                ExitCodes.Unreachable);
        }

        using (response)
        {
            if (response.IsSuccessStatusCode)
            {
                return;
            }

            var body = await response.Content.ReadAsStringAsync(cancellationToken);
            var status = response.StatusCode;
            if (status == HttpStatusCode.NotFound && GatewayError.ReadCode(body) == "RESOURCE_DOES_NOT_EXIST")
            {
                throw new CliException(
                    $"Tenant '{tenant}' does not exist on the gateway at {gatewayUrl}. 'labctl tenant list' shows the tenants.",
                    ExitCodes.NotFound);
            }

            if (status is HttpStatusCode.Unauthorized or HttpStatusCode.Forbidden)
            {
                throw new CliException(
                    $"The gateway at {gatewayUrl} rejected the token for tenant '{tenant}': {GatewayError.Describe(status, body)}",
                    ExitCodes.NotAuthorized);
            }

            await environment.Error.WriteLineAsync(
                $"warning: tenant '{tenant}' exists, but the check of its tracking server failed: {GatewayError.Describe(status, body)}. " +
                "The exported settings work once the server is up.");
        }
    }
}
