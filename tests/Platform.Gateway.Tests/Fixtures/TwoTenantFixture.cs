using Platform.Testing.Oidc;

namespace Platform.Gateway.Tests.Fixtures;

/// <summary>
/// A gateway with IAP, OIDC and platform tokens enabled and two tenants on their own upstreams:
/// alice (owner alice@lab.test, collaborator carol@lab.test) and bob (owner bob@lab.test).
/// </summary>
public sealed class TwoTenantFixture : IAsyncLifetime
{
    public const string Owner = "alice@lab.test";
    public const string Collaborator = "carol@lab.test";
    public const string OtherUser = "mallory@lab.test";
    public const string BobOwner = "bob@lab.test";

    private readonly Dictionary<string, string> _platformTokens = new(StringComparer.Ordinal);

    public TestOidcProvider Provider { get; private set; } = null!;

    public TestUpstream Alice { get; private set; } = null!;

    public TestUpstream Bob { get; private set; } = null!;

    public GatewayHost Gateway { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        Provider = await TestOidcProvider.StartAsync();
        Alice = await TestUpstream.StartAsync("alice");
        Bob = await TestUpstream.StartAsync("bob");
        Gateway = await GatewayHost.StartAsync(Provider);
        await Gateway.CreateTenantAsync("alice", Owner, Alice.Address, Collaborator);
        await Gateway.CreateTenantAsync("bob", BobOwner, Bob.Address);
        foreach (var user in new[] { Owner, Collaborator, OtherUser, BobOwner, GatewayHost.AdminEmail })
        {
            _platformTokens[user] = await Gateway.CreateTokenAsync(user);
        }
    }

    /// <summary>The platform token created for <paramref name="email"/> at start.</summary>
    public string PlatformToken(string email) => _platformTokens[email];

    /// <summary>Adds the credential of <paramref name="email"/> for <paramref name="method"/> to a request; a null email adds none.</summary>
    public void Authenticate(HttpRequestMessage request, string? email, AuthMethod method)
    {
        ArgumentNullException.ThrowIfNull(request);

        if (email is null)
        {
            return;
        }

        switch (method)
        {
            case AuthMethod.Iap:
                request.Headers.Add("x-goog-iap-jwt-assertion", Provider.CreateIapAssertion(email));
                break;
            case AuthMethod.Oidc:
                request.Headers.Authorization = new("Bearer", Provider.CreateIdToken(email));
                break;
            case AuthMethod.PlatformToken:
                request.Headers.Authorization = new("Bearer", PlatformToken(email));
                break;
        }
    }

    public async Task DisposeAsync()
    {
        await Gateway.DisposeAsync();
        await Alice.DisposeAsync();
        await Bob.DisposeAsync();
        await Provider.DisposeAsync();
    }
}

public enum AuthMethod
{
    Iap,
    Oidc,
    PlatformToken,
}
