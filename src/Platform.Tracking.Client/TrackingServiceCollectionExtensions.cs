using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Platform.Tracking.Client;

/// <summary>Registers <see cref="TrackingClient"/> with dependency injection and <c>IHttpClientFactory</c>.</summary>
public static class TrackingServiceCollectionExtensions
{
    /// <summary>Name of the <see cref="HttpClient"/> the client uses, for adding handlers with <c>AddHttpClient(name)</c>.</summary>
    public const string HttpClientName = "Platform.Tracking.Client";

    /// <summary>
    /// Adds a singleton <see cref="TrackingClient"/>. Options start from the MLflow environment variables, then the
    /// <see cref="TrackingClientOptions.SectionName"/> section of <paramref name="configuration"/> (when given), then <paramref name="configure"/>.
    /// </summary>
    public static IServiceCollection AddTrackingClient(
        this IServiceCollection services, IConfiguration? configuration = null, Action<TrackingClientOptions>? configure = null)
    {
        ArgumentNullException.ThrowIfNull(services);
        var optionsBuilder = services.AddOptions<TrackingClientOptions>()
            .Configure(options => options.ApplyEnvironment(Environment.GetEnvironmentVariable));
        if (configuration is not null)
        {
            optionsBuilder.Bind(configuration.GetSection(TrackingClientOptions.SectionName));
        }

        if (configure is not null)
        {
            optionsBuilder.Configure(configure);
        }

        services.AddHttpClient(HttpClientName, client => client.Timeout = Timeout.InfiniteTimeSpan);
        // NOTE: the singleton keeps one HttpClient, so the factory's handler rotation (and DNS refresh) does not apply to it.
        services.AddSingleton(provider => new TrackingClient(
            provider.GetRequiredService<IHttpClientFactory>().CreateClient(HttpClientName),
            provider.GetRequiredService<IOptions<TrackingClientOptions>>().Value,
            provider.GetService<ILoggerFactory>(),
            provider.GetService<TimeProvider>()));
        return services;
    }
}
