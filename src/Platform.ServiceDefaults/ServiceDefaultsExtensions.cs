using System.Diagnostics;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Diagnostics.HealthChecks;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using OpenTelemetry.Metrics;
using OpenTelemetry.Resources;
using OpenTelemetry.Trace;

namespace Platform.ServiceDefaults;

/// <summary>
/// Wires the telemetry and health endpoints that every Lab Platform service exposes.
/// </summary>
public static class ServiceDefaultsExtensions
{
    /// <summary>Tag for health checks that gate readiness but not liveness.</summary>
    public const string ReadyTag = "ready";

    /// <summary>Liveness probe path.</summary>
    public const string LivenessPath = "/healthz";

    /// <summary>Readiness probe path.</summary>
    public const string ReadinessPath = "/readyz";

    /// <summary>
    /// Adds OpenTelemetry tracing and metrics for <paramref name="serviceName"/>, exported over OTLP when an
    /// endpoint is configured, plus the health-check services and, when <see cref="ParentProcessWatcher.ParentPidVariable"/>
    /// is set, a <see cref="ParentProcessWatcher"/>. <paramref name="activitySources"/> and
    /// <paramref name="meters"/> name the service's own instrumentation.
    /// </summary>
    public static IHostApplicationBuilder AddServiceDefaults(
        this IHostApplicationBuilder builder,
        string serviceName,
        IEnumerable<string>? activitySources = null,
        IEnumerable<string>? meters = null)
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentException.ThrowIfNullOrEmpty(serviceName);

        var options = new TelemetryOptions();
        builder.Configuration.GetSection(TelemetryOptions.SectionName).Bind(options);
        var endpoint = options.OtlpEndpoint;
        if (string.IsNullOrWhiteSpace(endpoint))
        {
            endpoint = builder.Configuration["OTEL_EXPORTER_OTLP_ENDPOINT"];
        }

        var sources = activitySources?.ToArray() ?? [];
        var meterNames = meters?.ToArray() ?? [];
        var otel = builder.Services.AddOpenTelemetry()
            .ConfigureResource(resource => resource.AddService(serviceName))
            .WithMetrics(metrics =>
            {
                metrics.AddMeter(meterNames);
                metrics.AddAspNetCoreInstrumentation();
                metrics.AddHttpClientInstrumentation();
                metrics.AddRuntimeInstrumentation();
            });

        // Tracing is wired only with an exporter: a sampled span per request with nowhere to go cost the
        // gateway about a third of its requests per second on loopback.
        if (!string.IsNullOrWhiteSpace(endpoint))
        {
            var uri = new Uri(endpoint);
            otel.WithTracing(tracing =>
            {
                tracing.AddSource(sources);
                tracing.AddAspNetCoreInstrumentation(o => o.Filter = IsNotProbe);
                tracing.AddHttpClientInstrumentation();
                tracing.AddOtlpExporter(o => o.Endpoint = uri);
            });
            otel.WithMetrics(m => m.AddOtlpExporter(o => o.Endpoint = uri));
        }

        builder.Services.AddHealthChecks()
            .AddCheck("self", () => HealthCheckResult.Healthy(), tags: ["live"]);

        // A child started by the main job or the gateway stops when its parent dies, even by SIGKILL.
        if (ParentProcessWatcher.ParseParentPid(builder.Configuration[ParentProcessWatcher.ParentPidVariable]) is { } parentPid)
        {
            builder.Services.AddHostedService(services => new ParentProcessWatcher(
                parentPid,
                ParentProcessWatcher.DefaultInterval,
                services.GetRequiredService<IHostApplicationLifetime>(),
                services.GetRequiredService<ILogger<ParentProcessWatcher>>()));
        }

        return builder;
    }

    /// <summary>
    /// Maps <c>/healthz</c> (the process is alive) and <c>/readyz</c> (every check tagged
    /// <see cref="ReadyTag"/> passes, for example the database is reachable).
    /// </summary>
    public static IEndpointRouteBuilder MapHealthEndpoints(this IEndpointRouteBuilder endpoints)
    {
        ArgumentNullException.ThrowIfNull(endpoints);

        endpoints.MapHealthChecks(LivenessPath, new HealthCheckOptions
        {
            Predicate = check => check.Tags.Contains("live"),
        });
        endpoints.MapHealthChecks(ReadinessPath, new HealthCheckOptions
        {
            Predicate = check => check.Tags.Contains(ReadyTag) || check.Tags.Contains("live"),
        });
        return endpoints;
    }

    // Probes arrive every few seconds; tracing them would drown real requests.
    private static bool IsNotProbe(HttpContext context) =>
        !context.Request.Path.StartsWithSegments(LivenessPath) &&
        !context.Request.Path.StartsWithSegments(ReadinessPath);

    /// <summary>Starts an activity on <paramref name="source"/> named <paramref name="name"/>, if anyone listens.</summary>
    public static Activity? StartInternal(this ActivitySource source, string name) =>
        source.StartActivity(name, ActivityKind.Internal);
}
