using Platform.ServiceDefaults;
using Platform.Tracking.Client;
using Platform.Workers.Inference.Api;
using Platform.Workers.Inference.Models;

namespace Platform.Workers.Inference;

/// <summary>Builds the inference worker, for <c>Program</c>, tests and benchmarks.</summary>
public static class InferenceApp
{
    public const string ServiceName = "inference";

    /// <summary>Builds the app; <c>--model</c> sets <c>Inference:ModelUri</c> and <c>--urls</c> the listen address.</summary>
    public static WebApplication Build(string[] args, Action<WebApplicationBuilder>? configure = null)
    {
        var builder = WebApplication.CreateBuilder(args);
        builder.Configuration.AddCommandLine(args, new Dictionary<string, string> { ["--model"] = "Inference:ModelUri" });
        builder.AddServiceDefaults(ServiceName);
        builder.Services.AddOptions<InferenceOptions>().BindConfiguration(InferenceOptions.SectionName);
        builder.Services.AddTrackingClient(builder.Configuration);
        builder.Services.AddSingleton<ModelHolder>();
        builder.Services.AddHostedService<ModelRefreshService>();
        builder.Services.AddHealthChecks().AddCheck<ModelLoadedHealthCheck>("model", tags: [ServiceDefaultsExtensions.ReadyTag]);
        configure?.Invoke(builder);

        var app = builder.Build();
        app.MapHealthEndpoints();
        app.MapPredictionEndpoints();
        return app;
    }
}
