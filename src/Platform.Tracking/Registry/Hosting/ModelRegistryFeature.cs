using Platform.Tracking.Hosting;
using Platform.Tracking.Registry.Api;
using Platform.Tracking.Registry.LoggedModels;
using Platform.Tracking.Registry.Storage;

namespace Platform.Tracking.Registry.Hosting;

/// <summary>
/// Plugs the model registry into the tracking server: its store and migrations on the tracking store's database,
/// and the <c>registered-models/*</c>, <c>model-versions/*</c> and MLflow 3 <c>logged-models</c> routes under
/// <c>/api/2.0/mlflow/</c> and <c>/ajax-api/2.0/mlflow/</c>.
/// </summary>
public static class ModelRegistryFeature
{
    /// <summary>Registers the registry's services; call after the tracking store is registered.</summary>
    public static void AddModelRegistry(this WebApplicationBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);

        var services = builder.Services;
        services.AddSingleton<IModelRegistryStore, SqlModelRegistryStore>();
        services.AddHostedService<RegistryMigrationService>();
        services.AddSingleton<ILoggedModelStore, SqlLoggedModelStore>();
        services.AddSingleton<ModelSourceResolver>();
        services.AddSingleton<IAddOnRoutes, LoggedModelHandlers>();
        services.AddSingleton<IAddOnRoutes, RunOutputHandlers>();
        services.AddSingleton<IAddOnRoutes, RegisteredModelHandlers>();
        services.AddSingleton<IAddOnRoutes, ModelVersionHandlers>();
        services.AddSingleton<AddOnApiRouter>();
    }

    /// <summary>Maps the registry routes; they take precedence over the core router's catch-all.</summary>
    public static void MapModelRegistry(this WebApplication app)
    {
        ArgumentNullException.ThrowIfNull(app);

        app.Services.GetRequiredService<AddOnApiRouter>().MapRoutes(app);
    }

    /// <summary>Returns hooks that add the registry, and then run <paramref name="inner"/>'s hooks.</summary>
    public static TrackingServerHooks CreateHooks(TrackingServerHooks? inner = null) => new()
    {
        ConfigureServices = builder =>
        {
            builder.AddModelRegistry();
            inner?.ConfigureServices?.Invoke(builder);
        },
        MapEndpoints = app =>
        {
            app.MapModelRegistry();
            inner?.MapEndpoints?.Invoke(app);
        },
    };
}
