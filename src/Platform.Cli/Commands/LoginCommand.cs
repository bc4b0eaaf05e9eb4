using System.CommandLine;
using Platform.Cli.Login;

namespace Platform.Cli.Commands;

/// <summary><c>labctl login</c>: OAuth 2.0 device authorization grant against the configured OIDC provider.</summary>
internal static class LoginCommand
{
    public const string DefaultIssuer = "https://accounts.google.com";

    public static Command Create(CliEnvironment environment)
    {
        var issuer = new Option<string?>("--issuer") { Description = $"OIDC issuer whose discovery document lists the device endpoint (default: LABCTL_OIDC_ISSUER or {DefaultIssuer})." };
        var clientId = new Option<string?>("--client-id") { Description = "OAuth client ID of labctl (default: LABCTL_OIDC_CLIENT_ID); the gateway must accept it as an audience." };
        var clientSecret = new Option<string?>("--client-secret") { Description = "Client secret, which Google requires for device clients (default: LABCTL_OIDC_CLIENT_SECRET)." };
        var scope = new Option<string>("--scope") { Description = "Requested scopes.", DefaultValueFactory = _ => "openid email profile" };
        var login = new Command("login", "Sign in with the device flow and store the refresh token in ~/.config/labplatform/credentials.json (mode 0600).")
        {
            issuer, clientId, clientSecret, scope,
        };
        login.SetAction((parseResult, cancellationToken) => CliRunner.RunAsync(environment, async () =>
        {
            var issuerValue = parseResult.GetValue(issuer) ?? environment.GetNonEmptyVariable("LABCTL_OIDC_ISSUER") ?? DefaultIssuer;
            var clientIdValue = parseResult.GetValue(clientId) ?? environment.GetNonEmptyVariable("LABCTL_OIDC_CLIENT_ID")
                ?? throw new CliException("Missing OAuth client ID: pass --client-id or set LABCTL_OIDC_CLIENT_ID.", ExitCodes.InvalidArguments);
            var clientSecretValue = parseResult.GetValue(clientSecret) ?? environment.GetNonEmptyVariable("LABCTL_OIDC_CLIENT_SECRET");

            using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(30) };
            var endpoints = await OidcEndpoints.DiscoverAsync(http, issuerValue, cancellationToken);
            var tokens = await new DeviceFlowClient(http, environment).LoginAsync(endpoints, clientIdValue, clientSecretValue, parseResult.GetValue(scope)!, cancellationToken);

            var store = new CredentialStore(environment);
            await store.SaveAsync(
                new StoredCredentials
                {
                    Issuer = issuerValue,
                    ClientId = clientIdValue,
                    ClientSecret = clientSecretValue,
                    TokenEndpoint = endpoints.TokenEndpoint,
                    RefreshToken = tokens.RefreshToken,
                    IdToken = tokens.IdToken,
                },
                cancellationToken);
            await environment.Error.WriteLineAsync($"Signed in. Credentials saved to {store.FilePath}.");
        }));
        return login;
    }
}
