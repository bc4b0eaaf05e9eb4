using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Platform.Gateway.Hosting;
using Platform.Testing.Oidc;

namespace Platform.Gateway.Tests.Fixtures;

/// <summary>A real gateway on 127.0.0.1 with its own data folder, configured against a <see cref="TestOidcProvider"/>.</summary>
public sealed class GatewayHost : IAsyncDisposable
{
    public const string Secret = "test-gateway-secret-0123456789";
    public const string AdminEmail = "admin@lab.test";

    private readonly bool _ownsDataDirectory;

    private GatewayHost(WebApplication app, string dataDirectory, bool ownsDataDirectory)
    {
        App = app;
        DataDirectory = dataDirectory;
        _ownsDataDirectory = ownsDataDirectory;
        Address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First().TrimEnd('/');
        AdminToken = File.ReadAllText(Path.Combine(dataDirectory, "admin-token")).Trim();
        Client = new HttpClient { BaseAddress = new Uri(Address + "/") };
    }

    public WebApplication App { get; }

    public string DataDirectory { get; }

    public string Address { get; }

    public string AdminToken { get; }

    /// <summary>Client without credentials; tests add headers per request.</summary>
    public HttpClient Client { get; }

    /// <summary>Starts a gateway. <paramref name="settings"/> are extra configuration keys (for example Authentication:Iap:Enabled).</summary>
    public static async Task<GatewayHost> StartAsync(TestOidcProvider provider, IDictionary<string, string?>? settings = null, string? dataDirectory = null)
    {
        var ownsData = dataDirectory is null;
        dataDirectory ??= Directory.CreateTempSubdirectory("gateway-test-").FullName;
        var configuration = new Dictionary<string, string?>
        {
            ["urls"] = "http://127.0.0.1:0",
            ["Gateway:DataDirectory"] = dataDirectory,
            ["Gateway:GatewaySecret"] = Secret,
            ["Gateway:Admins:0"] = AdminEmail,
            ["Authentication:Iap:Enabled"] = "true",
            ["Authentication:Iap:JwksUrl"] = provider.IapJwksUrl,
            ["Authentication:Iap:Audiences:0"] = TestOidcProvider.IapAudience,
            ["Authentication:Oidc:Enabled"] = "true",
            ["Authentication:Oidc:Issuers:0"] = provider.Issuer,
            ["Authentication:Oidc:ClientIds:0"] = TestOidcProvider.ClientId,
            ["Authentication:Oidc:JwksUrl"] = provider.OidcJwksUrl,
            ["Authentication:KeySets:MinimumRefreshInterval"] = "00:00:00",
        };
        foreach (var (key, value) in settings ?? new Dictionary<string, string?>())
        {
            configuration[key] = value;
        }

        WebApplication? app = null;
        try
        {
            app = await GatewayApplication.BuildAsync([], builder =>
            {
                builder.Configuration.AddInMemoryCollection(configuration);
                builder.Logging.ClearProviders();
            });
            await app.StartAsync();
            return new GatewayHost(app, dataDirectory, ownsData);
        }
        catch
        {
            // Tests of invalid settings expect the start to fail; nothing of the failed gateway may outlive them.
            if (app is not null)
            {
                await app.DisposeAsync();
            }

            if (ownsData)
            {
                Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
                Directory.Delete(dataDirectory, recursive: true);
            }

            throw;
        }
    }

    /// <summary>Sends an admin API request with the admin token and returns status and JSON body.</summary>
    public async Task<(int Status, JsonNode? Body)> AdminAsync(HttpMethod method, string path, object? body = null)
    {
        using var request = new HttpRequestMessage(method, path.TrimStart('/'));
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", AdminToken);
        if (body is not null)
        {
            request.Content = JsonContent.Create(body, options: new JsonSerializerOptions { PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower });
        }

        using var response = await Client.SendAsync(request);
        var text = await response.Content.ReadAsStringAsync();
        return ((int)response.StatusCode, text.Length == 0 ? null : JsonNode.Parse(text));
    }

    /// <summary>Creates a tenant routed to <paramref name="destination"/>; fails the test on any other outcome.</summary>
    public async Task CreateTenantAsync(string name, string owner, string? destination, params string[] collaborators)
    {
        var (status, body) = await AdminAsync(HttpMethod.Post, "admin/v1/tenants", new { Name = name, Owner = owner, Collaborators = collaborators, Destination = destination });
        Assert.True(status == 201, $"Creating tenant {name} returned {status}: {body}");
    }

    /// <summary>Creates a platform token and returns its secret.</summary>
    public async Task<string> CreateTokenAsync(string user, string? tenant = null, long? expiresInSeconds = null)
    {
        var (status, body) = await AdminAsync(HttpMethod.Post, "admin/v1/tokens", new { User = user, Tenant = tenant, ExpiresInSeconds = expiresInSeconds });
        Assert.True(status == 201, $"Creating a token for {user} returned {status}: {body}");
        return body!["secret"]!.GetValue<string>();
    }

    public async ValueTask DisposeAsync()
    {
        Client.Dispose();
        await App.StopAsync();
        await App.DisposeAsync();
        if (_ownsDataDirectory)
        {
            Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
            Directory.Delete(DataDirectory, recursive: true);
        }
    }
}
