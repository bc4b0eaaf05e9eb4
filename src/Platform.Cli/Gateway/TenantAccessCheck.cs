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
    /// Returns when the gateway routed the request to the tenant's server (200). When the gateway
    /// returns its 503 <c>TEMPORARILY_UNAVAILABLE</c> JSON error because the server is still starting,
    /// writes a warning to standard error and returns, because the exported settings work once the
    /// server is up. Throws <see cref="CliException"/> when the tenant does not exist, the token is
    /// rejected, the gateway cannot be reached, or the response does not come from a Lab Platform gateway.
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
            if (response.StatusCode == HttpStatusCode.OK)
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

            if (status == HttpStatusCode.ServiceUnavailable && GatewayError.ReadCode(body) == "TEMPORARILY_UNAVAILABLE")
            {
                await environment.Error.WriteLineAsync(
                    $"warning: tenant '{tenant}' exists, but its tracking server is not ready: {GatewayError.Describe(status, body)}. " +
                    "The exported settings work once the server is up.");
                return;
            }

            if (status is HttpStatusCode.BadGateway or HttpStatusCode.GatewayTimeout)
            {
                throw new CliException(
                    $"GET {request.RequestUri} returned {GatewayError.Describe(status, body)}: either the gateway could not reach the tracking server of tenant '{tenant}' " +
                    $"(check that it runs), or {gatewayUrl} is not the Lab Platform gateway.",
                    ExitCodes.Unreachable);
            }

            // Any other response (an HTML page, another service's 404 or 500) means the URL is not a gateway, so exporting it would only fail later in the MLflow client.
            throw new CliException(
                $"{gatewayUrl} does not look like the Lab Platform gateway: GET {request.RequestUri} returned {GatewayError.Describe(status, body)}. " +
                $"Pass the gateway's base URL with --gateway or LABCTL_GATEWAY, for example {GatewaySettings.DefaultGatewayUrl}.",
                ExitCodes.Unreachable);
        }
    }
}
