using System.Text.Encodings.Web;
using System.Text.Json;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authorization;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;
using Platform.Gateway.Admin;
using Platform.Gateway.Authentication;
using Platform.Gateway.Authorization;
using Platform.Gateway.Routing;
using Platform.Gateway.Runtime;
using Platform.Gateway.Tenants;
using Platform.Gateway.Tokens;
using Platform.ServiceDefaults;

namespace Platform.Gateway.Hosting;

/// <summary>Builds the gateway web application: services, authentication, the admin API and the tenant proxy.</summary>
public static partial class GatewayApplication
{
    /// <summary>Name reported to OpenTelemetry.</summary>
    public const string ServiceName = "labplatform-gateway";

    /// <summary>
    /// Builds the gateway from command-line <paramref name="args"/> (see <see cref="GatewayCommandLine"/>),
    /// opening its database and admin token file. <paramref name="configure"/> lets tests add configuration.
    /// </summary>
    public static async Task<WebApplication> BuildAsync(string[] args, Action<WebApplicationBuilder>? configure = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(args);

        // appsettings.json, with the log levels, sits beside the assembly. The default content root is the working
        // folder, so a gateway started from the repository root (as 'make run' does) would not read it.
        var builder = WebApplication.CreateBuilder(new WebApplicationOptions
        {
            Args = GatewayCommandLine.Normalize(args),
            ContentRootPath = AppContext.BaseDirectory,
        });
        configure?.Invoke(builder);

        var gatewayOptions = builder.Configuration.GetSection(GatewayOptions.SectionName).Get<GatewayOptions>() ?? new GatewayOptions();

        // Checked now rather than at host start, because opening the data folder below already depends on these settings.
        var validation = new GatewayOptionsValidator().Validate(null, gatewayOptions);
        if (validation.Failed)
        {
            throw new OptionsValidationException(GatewayOptions.SectionName, typeof(GatewayOptions), validation.Failures);
        }

        if (string.IsNullOrWhiteSpace(builder.Configuration["urls"]))
        {
            builder.WebHost.UseUrls(gatewayOptions.ListenUrl);
        }

        // Artifact uploads can be many gigabytes; the proxy streams them, so no size limit applies.
        builder.WebHost.ConfigureKestrel(kestrel => kestrel.Limits.MaxRequestBodySize = null);

        builder.AddServiceDefaults(ServiceName);

        // The host logs a start-up failure (a busy port, for example) with its stack trace before rethrowing it,
        // and Program.cs already prints it as one line. Critical keeps the host's "background service stopped the host" entry.
        builder.Logging.AddFilter("Microsoft.Extensions.Hosting.Internal.Host", LogLevel.Critical);
        AddOptions(builder);

        var dataDirectory = gatewayOptions.ResolveDataDirectory();

        // Taken before the database opens, so a second gateway on this folder stops before it reads or writes anything.
        var dataLock = DataDirectoryLock.Acquire(dataDirectory);
        try
        {
            return await BuildWithLockAsync(builder, gatewayOptions, dataDirectory, dataLock, cancellationToken);
        }
        catch
        {
            dataLock.Dispose();
            throw;
        }
    }

    private static async Task<WebApplication> BuildWithLockAsync(
        WebApplicationBuilder builder, GatewayOptions gatewayOptions, string dataDirectory, DataDirectoryLock dataLock, CancellationToken cancellationToken)
    {
        // A factory registration makes the container dispose the lock, and so release it, when the application is disposed.
        builder.Services.AddSingleton(_ => dataLock);
        var stores = await OpenStoresAsync(dataDirectory, cancellationToken);
        builder.Services.AddSingleton(stores.Database);
        builder.Services.AddSingleton(stores.Tenants);
        builder.Services.AddSingleton(stores.Tokens);
        builder.Services.AddSingleton(stores.AdminToken);
        builder.Services.AddSingleton(string.IsNullOrWhiteSpace(gatewayOptions.GatewaySecret)
            ? GatewaySecret.Generate()
            : new GatewaySecret(gatewayOptions.GatewaySecret));
        builder.Services.TryAddSingleton(TimeProvider.System);
        builder.Services.AddHealthChecks().AddCheck<GatewayDatabaseHealthCheck>("gateway-database", tags: [ServiceDefaultsExtensions.ReadyTag]);

        AddAuthentication(builder.Services);
        AddDestinations(builder, gatewayOptions, dataDirectory);
        AddProxy(builder.Services);
        GatewayDataProtection.Add(builder.Services, dataDirectory);

        // Malformed admin request bodies then reach BadRequestMiddleware, which returns a JSON error.
        builder.Services.Configure<RouteHandlerOptions>(routeHandler => routeHandler.ThrowOnBadRequest = true);
        builder.Services.ConfigureHttpJsonOptions(json =>
        {
            json.SerializerOptions.PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower;
            json.SerializerOptions.Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping;
        });

        var app = builder.Build();
        _ = app.Services.GetRequiredService<DataDirectoryLock>();
        ConfigurePipeline(app);

        app.Services.GetRequiredService<TenantRouteTable>().Publish();
        Log.GatewayConfigured(app.Logger, gatewayOptions.Local, dataDirectory, Path.Combine(dataDirectory, AdminToken.FileName));
        return app;
    }

    private static void AddOptions(WebApplicationBuilder builder)
    {
        var configuration = builder.Configuration;
        builder.Services.AddOptions<GatewayOptions>().Bind(configuration.GetSection(GatewayOptions.SectionName)).ValidateOnStart();
        builder.Services.AddSingleton<IValidateOptions<GatewayOptions>, GatewayOptionsValidator>();
        builder.Services.AddOptions<IapOptions>().Bind(configuration.GetSection(IapOptions.SectionName))
            .Validate(o => !o.Enabled || o.Audiences.Any(a => !string.IsNullOrWhiteSpace(a)), "Authentication:Iap:Audiences is empty: with IAP enabled, list the backend service audiences (/projects/<number>/global/backendServices/<id>).")
            .ValidateOnStart();
        builder.Services.AddOptions<OidcOptions>().Bind(configuration.GetSection(OidcOptions.SectionName))
            .Validate(o => !o.Enabled || o.ClientIds.Any(c => !string.IsNullOrWhiteSpace(c)), "Authentication:Oidc:ClientIds is empty: with OIDC enabled, list the accepted OAuth client IDs.")
            .Validate(o => !o.Enabled || !string.IsNullOrWhiteSpace(o.JwksUrl) || !string.IsNullOrWhiteSpace(o.MetadataAddress), "Authentication:Oidc needs JwksUrl or MetadataAddress to find the signing keys.")
            .ValidateOnStart();
        builder.Services.AddOptions<PlatformTokenOptions>().Bind(configuration.GetSection(PlatformTokenOptions.SectionName));
        builder.Services.AddOptions<KeySetOptions>().Bind(configuration.GetSection(KeySetOptions.SectionName));
        builder.Services.AddOptions<LocalRuntimeOptions>().Bind(configuration.GetSection(LocalRuntimeOptions.SectionName));
    }

    private static async Task<(GatewayDatabase Database, TenantStore Tenants, AccessTokenStore Tokens, AdminToken AdminToken)> OpenStoresAsync(
        string dataDirectory, CancellationToken cancellationToken)
    {
        var database = new GatewayDatabase(Path.Combine(dataDirectory, "gateway.db"));
        await database.InitializeAsync(cancellationToken);
        var tenants = new TenantStore(database, TimeProvider.System);
        await tenants.LoadAsync(cancellationToken);
        var tokens = new AccessTokenStore(database, TimeProvider.System);
        await tokens.LoadAsync(cancellationToken);
        var adminToken = await AdminToken.LoadOrCreateAsync(dataDirectory, cancellationToken);
        return (database, tenants, tokens, adminToken);
    }

    private static void AddAuthentication(IServiceCollection services)
    {
        services.AddHttpClient(JsonWebKeySetCache.HttpClientName, client => client.Timeout = TimeSpan.FromSeconds(10));
        services.AddSingleton<JsonWebKeySetCache>();
        services.AddSingleton<SignedTokenValidator>();
        services.AddSingleton<IapTokenValidator>();
        services.AddSingleton<OidcTokenValidator>();

        services.AddAuthentication(GatewayAuthenticationHandler.SchemeName)
            .AddScheme<AuthenticationSchemeOptions, GatewayAuthenticationHandler>(GatewayAuthenticationHandler.SchemeName, null);

        services.AddSingleton<IAuthorizationHandler, TenantAccessHandler>();
        services.AddSingleton<IAuthorizationHandler, AdminHandler>();
        services.AddSingleton<Microsoft.AspNetCore.Authorization.IAuthorizationMiddlewareResultHandler, JsonAuthorizationResultHandler>();
        services.AddAuthorizationBuilder()
            .AddPolicy(GatewayPolicies.TenantAccess, policy => policy.RequireAuthenticatedUser().AddRequirements(new TenantAccessRequirement()))
            .AddPolicy(GatewayPolicies.Admin, policy => policy.RequireAuthenticatedUser().AddRequirements(new AdminRequirement()))
            // Any endpoint without its own policy needs a signed-in caller, except the health probes,
            // which load balancers and IAP health checks call without credentials.
            .SetFallbackPolicy(new AuthorizationPolicyBuilder()
                .RequireAssertion(context => context.User.Identity?.IsAuthenticated == true || IsHealthProbe(context.Resource as HttpContext))
                .Build());
    }

    private static void AddDestinations(WebApplicationBuilder builder, GatewayOptions options, string dataDirectory)
    {
        var services = builder.Services;
        if (options.Local)
        {
            var runtimeOptions = builder.Configuration.GetSection(LocalRuntimeOptions.SectionName).Get<LocalRuntimeOptions>() ?? new LocalRuntimeOptions();
            var serverPath = TrackingServerLocator.Locate(runtimeOptions.TrackingServerPath, AppContext.BaseDirectory);
            services.AddSingleton(new LocalRuntimePaths(dataDirectory, serverPath));
            services.AddHttpClient(LocalTenantRuntime.HealthClientName, client => client.Timeout = TimeSpan.FromSeconds(2));
            services.AddSingleton<LocalTenantRuntime>();
            services.AddSingleton<ITenantDestinations>(sp => sp.GetRequiredService<LocalTenantRuntime>());
            services.AddHostedService(sp => sp.GetRequiredService<LocalTenantRuntime>());
        }
        else
        {
            services.AddSingleton<ITenantDestinations, ConfiguredTenantDestinations>();
        }

        services.AddSingleton<TenantRouteTable>();
    }

    private static void AddProxy(IServiceCollection services)
    {
        services.AddReverseProxy()
            .LoadFromMemory([], [])
            .AddTransforms(context =>
            {
                if (context.Route.Metadata?.ContainsKey(TenantRouteMetadata.TenantKey) == true)
                {
                    context.RequestTransforms.Add(new IdentityHeaderTransform(context.Services.GetRequiredService<GatewaySecret>()));
                }
            });
    }

    private static void ConfigurePipeline(WebApplication app)
    {
        app.UseMiddleware<TenantPathGuardMiddleware>();
        app.UseMiddleware<BadRequestMiddleware>();
        app.UseMiddleware<EndpointNotFoundMiddleware>();
        app.UseMiddleware<MethodNotAllowedMiddleware>();
        app.UseRouting();
        app.UseAuthentication();
        app.UseAuthorization();

        app.MapHealthEndpoints();
        app.MapAdminApi();

        // Reached only when no tenant route matched: the tenant is unknown, or known but not routable yet.
        app.Map("/u/{tenant}/{**rest}", (string tenant, TenantStore tenants) => tenants.Find(tenant) is null
            ? Results.Json(new MlflowError(MlflowError.ResourceDoesNotExist, $"Tenant '{tenant}' does not exist."), statusCode: StatusCodes.Status404NotFound)
            : Results.Json(new MlflowError(MlflowError.TemporarilyUnavailable, $"The tracking server of tenant '{tenant}' is starting; retry in a few seconds."), statusCode: StatusCodes.Status503ServiceUnavailable));

        app.MapReverseProxy();
    }

    private static bool IsHealthProbe(HttpContext? context) =>
        context is not null &&
        (context.Request.Path.Equals(ServiceDefaultsExtensions.LivenessPath) || context.Request.Path.Equals(ServiceDefaultsExtensions.ReadinessPath));

    private static partial class Log
    {
        [LoggerMessage(EventId = 2401, Level = LogLevel.Information, Message = "Gateway configured (local mode: {Local}); data folder {DataDirectory}, admin token file {AdminTokenFile}")]
        public static partial void GatewayConfigured(ILogger logger, bool local, string dataDirectory, string adminTokenFile);
    }
}
