using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Platform.Artifacts.Endpoints;
using Platform.Artifacts.Runs;

namespace Platform.Artifacts;

/// <summary>Registers the artifact store and the services behind the MLflow artifact endpoints.</summary>
public static class ArtifactServiceCollectionExtensions
{
    /// <summary>
    /// Registers <see cref="IArtifactStore"/> for <paramref name="destination"/> (a folder, <c>file:///</c>
    /// URI or <c>gs://bucket/prefix</c>), with settings from the <c>Artifacts</c> configuration section
    /// and then <paramref name="configure"/>. Map the endpoints with <c>MapMlflowArtifacts()</c>.
    /// </summary>
    public static IServiceCollection AddArtifactStore(
        this IServiceCollection services, string destination, Action<ArtifactStoreOptions>? configure = null)
    {
        ArgumentNullException.ThrowIfNull(services);
        ArgumentException.ThrowIfNullOrWhiteSpace(destination);

        var options = services.AddOptions<ArtifactStoreOptions>().BindConfiguration(ArtifactStoreOptions.SectionName);
        options.Configure(o => o.Destination = destination);
        if (configure is not null)
        {
            options.Configure(configure);
        }

        services.AddSingleton<IArtifactStore>(provider =>
        {
            var settings = provider.GetRequiredService<IOptions<ArtifactStoreOptions>>().Value;
            return ArtifactStoreFactory.Create(settings.Destination ?? destination, settings, provider.GetService<ILoggerFactory>());
        });
        services.AddSingleton<ArtifactRequestHandlers>();
        services.AddSingleton<RunArtifactLister>();
        return services;
    }
}
