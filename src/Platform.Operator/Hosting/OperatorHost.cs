using System.Runtime.CompilerServices;
using Google.Cloud.Storage.V1;
using k8s;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using OpenTelemetry.Metrics;
using Platform.Operator.Controller;
using Platform.Operator.Database;
using Platform.Operator.Reconciliation;
using Platform.Operator.Storage;
using Platform.ServiceDefaults;

namespace Platform.Operator.Hosting;

/// <summary>Builds the operator process: options, clients, reconcilers, leader election and the probe endpoints.</summary>
public static class OperatorHost
{
    public const string ServiceName = "labplatform-operator";

    /// <summary>
    /// Creates the host. <paramref name="configure"/> runs after the defaults are registered, so tests can add
    /// configuration or replace a service (for example the storage) before the host is built.
    /// </summary>
    public static WebApplication Build(string[] args, Action<WebApplicationBuilder>? configure = null)
    {
        var builder = WebApplication.CreateSlimBuilder(args);
        builder.AddServiceDefaults(ServiceName, meters: [OperatorTelemetry.MeterName]);

        // Prometheus scrapes /metrics on the probe port, next to the OTLP export that AddServiceDefaults configures.
        builder.Services.AddOpenTelemetry().WithMetrics(metrics => metrics.AddPrometheusExporter());

        builder.Services.AddSingleton<IValidateOptions<OperatorOptions>, OperatorOptionsValidator>();
        builder.Services.AddOptions<OperatorOptions>().Bind(builder.Configuration.GetSection(OperatorOptions.SectionName)).ValidateOnStart();

        builder.Services.AddSingleton(TimeProvider.System);
        builder.Services.AddSingleton<IKubernetes>(sp => new Kubernetes(ClientConfiguration(sp.GetRequiredService<IOptions<OperatorOptions>>().Value)));
        builder.Services.AddSingleton<ITenantDatabase, PostgresTenantDatabase>();
        builder.Services.AddSingleton(CreateStorage);

        builder.Services.AddSingleton<EventRecorder>();
        builder.Services.AddSingleton<SecretReconciler>();
        builder.Services.AddSingleton<DatabaseReconciler>();
        builder.Services.AddSingleton<StorageReconciler>();
        builder.Services.AddSingleton<DeploymentReconciler>();
        builder.Services.AddSingleton<ServiceReconciler>();
        builder.Services.AddSingleton<NetworkPolicyReconciler>();
        builder.Services.AddSingleton<StatusReconciler>();
        builder.Services.AddSingleton<DeletionReconciler>();
        builder.Services.AddSingleton<TrackingServerReconciler>();

        builder.Services.AddSingleton<ControllerState>();
        builder.Services.AddSingleton<OperatorTelemetry>();
        builder.Services.AddSingleton<OperatorController>();
        builder.Services.AddHostedService<LeaderElectionService>();
        builder.Services.AddHealthChecks().AddCheck<ControllerHealthCheck>("controller", tags: [ServiceDefaultsExtensions.ReadyTag]);

        configure?.Invoke(builder);

        // Read after configure so a test can move the probes to 127.0.0.1 and a free port.
        var healthAddress = builder.Configuration[$"{OperatorOptions.SectionName}:HealthAddress"] ?? "0.0.0.0";
        var healthPort = builder.Configuration.GetValue($"{OperatorOptions.SectionName}:HealthPort", 8081);
        builder.WebHost.UseUrls($"http://{healthAddress}:{healthPort}");

        var app = builder.Build();
        app.MapHealthEndpoints();
        app.MapPrometheusScrapingEndpoint();
        return app;
    }

    /// <summary>Picks the API server: <see cref="OperatorOptions.KubernetesUrl"/>, else in-cluster, else the kubeconfig.</summary>
    public static KubernetesClientConfiguration ClientConfiguration(OperatorOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        if (!string.IsNullOrWhiteSpace(options.KubernetesUrl))
        {
            return new KubernetesClientConfiguration { Host = options.KubernetesUrl };
        }

        return KubernetesClientConfiguration.IsInCluster()
            ? KubernetesClientConfiguration.InClusterConfig()
            : KubernetesClientConfiguration.BuildConfigFromConfigFile();
    }

    private static ITenantStorage CreateStorage(IServiceProvider services)
    {
        var options = services.GetRequiredService<IOptions<OperatorOptions>>();
        return options.Value.StorageKind switch
        {
            "local" => new LocalFolderTenantStorage(options),
            "none" => new NoOpTenantStorage(options),
            _ => CreateGcsStorage(options),
        };
    }

    // The JIT loads the assemblies a method refers to when it compiles that method. Keeping StorageClient out of
    // CreateStorage means Google.Cloud.Storage.V1 and its dependencies load only for storage kind gcs.
    [MethodImpl(MethodImplOptions.NoInlining)]
    private static GcsTenantStorage CreateGcsStorage(IOptions<OperatorOptions> options) =>
        new(StorageClient.Create(), options);
}
