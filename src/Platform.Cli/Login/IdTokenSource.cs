using Microsoft.IdentityModel.JsonWebTokens;

namespace Platform.Cli.Login;

/// <summary>Returns the stored ID token, refreshed first when it expires within <see cref="RefreshMargin"/>.</summary>
public sealed class IdTokenSource
{
    /// <summary>An ID token with less than this much lifetime left is refreshed before use.</summary>
    public static readonly TimeSpan RefreshMargin = TimeSpan.FromMinutes(5);

    private readonly CredentialStore _store;
    private readonly DeviceFlowClient _client;
    private readonly CliEnvironment _environment;

    public IdTokenSource(CredentialStore store, DeviceFlowClient client, CliEnvironment environment)
    {
        ArgumentNullException.ThrowIfNull(store);
        ArgumentNullException.ThrowIfNull(client);
        ArgumentNullException.ThrowIfNull(environment);

        _store = store;
        _client = client;
        _environment = environment;
    }

    /// <summary>Returns a usable ID token, or throws <see cref="CliException"/> when the user has not logged in.</summary>
    public async Task<string> GetAsync(CancellationToken cancellationToken)
    {
        var credentials = await _store.LoadAsync(cancellationToken)
            ?? throw new CliException($"Not logged in: '{_store.FilePath}' does not exist. Run 'labctl login'. With 'labctl env' you can instead pass a platform token with --token, for example one from 'labctl token create'.", ExitCodes.NotAuthorized);

        if (ReadExpiry(credentials.IdToken) - _environment.Time.GetUtcNow() >= RefreshMargin)
        {
            return credentials.IdToken;
        }

        var refreshed = await _client.RefreshAsync(credentials, cancellationToken);
        var updated = credentials with
        {
            IdToken = refreshed.IdToken,
            RefreshToken = refreshed.RefreshToken ?? credentials.RefreshToken,
        };
        await _store.SaveAsync(updated, cancellationToken);
        return updated.IdToken;
    }

    // The gateway validates the token; here only exp matters, to decide whether to refresh.
    private static DateTimeOffset ReadExpiry(string idToken)
    {
        try
        {
            return new DateTimeOffset(new JsonWebToken(idToken).ValidTo, TimeSpan.Zero);
        }
        catch (ArgumentException)
        {
            return DateTimeOffset.MinValue;
        }
    }
}
