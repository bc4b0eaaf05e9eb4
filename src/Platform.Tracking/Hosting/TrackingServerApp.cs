using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Platform.Artifacts;
using Platform.ServiceDefaults;
using Platform.Tracking.Api;
using Platform.Tracking.Registry.Hosting;
using Platform.Tracking.Storage;
using Platform.Tracking.Storage.Postgres;
using Platform.Tracking.Storage.Sql;
using Platform.Tracking.Storage.Sqlite;

namespace Platform.Tracking.Hosting;

/// <summary>Builds the tracking server, for <c>Program</c>, tests, benchmarks and the one-machine platform.</summary>
public static class TrackingServerApp
{
    public const string ServiceName = "tracking";

    /// <summary>
    /// Builds a server that listens on <see cref="TrackingServerOptions.Host"/> and <see cref="TrackingServerOptions.Port"/>
    /// (port 0 picks a free port). Migrations run during <c>StartAsync</c>, before the first request.
    /// </summary>
    public static WebApplication Build(TrackingServerOptions options, TrackingServerHooks? hooks = null)
    {
        ArgumentNullException.ThrowIfNull(options);

        var storeUri = options.ResolveBackendStoreUri();
        var backend = BackendStoreUri.Parse(storeUri);

        var builder = WebApplication.CreateBuilder(new WebApplicationOptions { ContentRootPath = AppContext.BaseDirectory });
        builder.WebHost.UseUrls($"http://{FormatHost(options.Host)}:{options.Port}");
        builder.WebHost.ConfigureKestrel(kestrel => kestrel.Limits.MaxRequestBodySize = TrackingLimits.MaxRequestBytes + 1L);
        builder.AddServiceDefaults(ServiceName, meters: [TrackingMetrics.MeterName]);

        // Per-request framework logs cost more than a fast request itself. Warnings and errors are still logged.
        builder.Logging.AddFilter("Microsoft.AspNetCore", LogLevel.Warning);

        var services = builder.Services;
        services.AddSingleton(TimeProvider.System);
        services.AddSingleton<TrackingMetrics>();
        services.AddSingleton(new GatewayIdentity(options.GatewaySecret));
        services.AddSingleton(new StoreDescription(BackendStoreUri.Redact(storeUri)));
        services.AddSingleton<SqlDialect>(_ => backend.IsSqlite
            ? new SqliteDialect(backend.SqlitePath!)
            : new PostgresDialect(backend.PostgresConnectionString!, backend.PostgresSchema!));
        services.AddSingleton<ITrackingStore, SqlTrackingStore>();
        services.AddHostedService<StoreMigrationService>();
        services.AddHealthChecks().AddCheck<StoreHealthCheck>("store", tags: [ServiceDefaultsExtensions.ReadyTag]);
        services.AddSingleton<ExperimentHandlers>();
        services.AddSingleton<RunHandlers>();
        services.AddSingleton<MetricHandlers>();
        services.AddSingleton<ArtifactListHandlers>();
        services.TryAddSingleton<ApiRequestDispatcher>();
        services.AddSingleton<MlflowApiRouter>();
        builder.AddMlflowAddOns();
        hooks?.ConfigureServices?.Invoke(builder);

        // A host that registered its own artifact store through the hooks also maps its endpoints.
        var hostsArtifacts = !string.IsNullOrWhiteSpace(options.ArtifactsDestination)
            && !services.Any(descriptor => descriptor.ServiceType == typeof(IArtifactStore));
        if (hostsArtifacts)
        {
            services.AddArtifactStore(options.ArtifactsDestination!);
        }

        var app = builder.Build();
        if (options.RequireGateway)
        {
            var identity = app.Services.GetRequiredService<GatewayIdentity>();
            app.Use(async (context, next) =>
            {
                var path = context.Request.Path;
                if (path.StartsWithSegments(ServiceDefaultsExtensions.LivenessPath) || path.StartsWithSegments(ServiceDefaultsExtensions.ReadinessPath)
                    || identity.HasGatewaySecret(context.Request))
                {
                    await next(context);
                    return;
                }

                await JsonResults.WriteErrorAsync(context, ErrorCodes.Unauthenticated,
                    "This tracking server accepts requests only through the gateway. Use the gateway's /u/<tenant>/ URL with your token.");
            });
        }

        app.MapHealthEndpoints();
        app.MapMlflowAddOns();
        if (hostsArtifacts)
        {
            app.MapMlflowArtifacts();
        }

        hooks?.MapEndpoints?.Invoke(app);

        app.MapGet("/", new ServerInfoEndpoint(hostsArtifacts).HandleAsync);

        var router = app.Services.GetRequiredService<MlflowApiRouter>();
        app.Map("/api/2.0/mlflow/{**path}", router.HandleAsync);
        app.Map("/ajax-api/2.0/mlflow/{**path}", router.HandleAsync);
        app.MapFallback("/api/{**path}", MlflowApiRouter.WriteEndpointNotFoundAsync);
        app.MapFallback("/ajax-api/{**path}", MlflowApiRouter.WriteEndpointNotFoundAsync);
        return app;
    }

    /// <summary>Returns the address the started server listens on, for example <c>http://127.0.0.1:41234</c>.</summary>
    public static Uri GetBaseAddress(WebApplication app)
    {
        ArgumentNullException.ThrowIfNull(app);

        var addresses = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()?.Addresses;
        var first = addresses?.FirstOrDefault()
            ?? throw new InvalidOperationException("The tracking server has no bound address yet. Call StartAsync before GetBaseAddress.");
        return new Uri(first);
    }

    private static string FormatHost(string host) =>
        host.Contains(':', StringComparison.Ordinal) && !host.StartsWith('[') ? $"[{host}]" : host;
}
