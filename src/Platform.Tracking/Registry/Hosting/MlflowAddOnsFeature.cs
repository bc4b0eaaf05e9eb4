using Microsoft.Extensions.DependencyInjection.Extensions;
using Platform.Tracking.Api;
using Platform.Tracking.Hosting;
using Platform.Tracking.Registry.Api;
using Platform.Tracking.Registry.LoggedModels;
using Platform.Tracking.Registry.Storage;
using Platform.Tracking.Registry.Traces;
using Platform.Tracking.Storage;

namespace Platform.Tracking.Registry.Hosting;

/// <summary>
/// Plugs the model registry into the tracking server: its store and migrations on the tracking store's database,
/// the <c>registered-models/*</c> and <c>model-versions/*</c> routes, and MLflow 3's logged models, run outputs, traces
/// and assessments, each under <c>/api/</c> and <c>/ajax-api/</c>.
/// </summary>
public static class MlflowAddOnsFeature
{
    /// <summary>Registers the services of the registry and the MLflow 3 features; call after the tracking store is registered. A second call does nothing.</summary>
    public static void AddMlflowAddOns(this WebApplicationBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);

        var services = builder.Services;

        // Registering twice (from the server and from test hooks) would run the migrations and handlers twice.
        if (services.Any(descriptor => descriptor.ServiceType == typeof(AddOnApiRouter)))
        {
            return;
        }

        services.AddSingleton<IModelRegistryStore, SqlModelRegistryStore>();
        services.AddHostedService<RegistryMigrationService>();
        services.AddSingleton<ILoggedModelStore, SqlLoggedModelStore>();
        services.AddSingleton<IRunOutputQuery, RunModelOutputQuery>();
        services.AddSingleton<ModelSourceResolver>();
        services.AddSingleton<IAddOnRoutes, LoggedModelHandlers>();
        services.AddSingleton<IAddOnRoutes, RunOutputHandlers>();
        services.AddSingleton<ITraceStore, SqlTraceStore>();
        services.AddSingleton<IAddOnRoutes, TraceHandlers>();
        services.AddSingleton<IAddOnRoutes, AssessmentHandlers>();
        services.AddSingleton<IAddOnRoutes, RegisteredModelHandlers>();
        services.AddSingleton<IAddOnRoutes, ModelVersionHandlers>();
        services.TryAddSingleton<ApiRequestDispatcher>();
        services.AddSingleton<AddOnApiRouter>();
    }

    /// <summary>Maps the add-on routes, which take precedence over the core router's catch-all; a second call does nothing.</summary>
    public static void MapMlflowAddOns(this WebApplication app)
    {
        ArgumentNullException.ThrowIfNull(app);

        app.Services.GetRequiredService<AddOnApiRouter>().MapRoutes(app);
    }

    /// <summary>Returns hooks that add the registry, and then run <paramref name="inner"/>'s hooks.</summary>
    public static TrackingServerHooks CreateHooks(TrackingServerHooks? inner = null) => new()
    {
        ConfigureServices = builder =>
        {
            builder.AddMlflowAddOns();
            inner?.ConfigureServices?.Invoke(builder);
        },
        MapEndpoints = app =>
        {
            app.MapMlflowAddOns();
            inner?.MapEndpoints?.Invoke(app);
        },
    };
}
