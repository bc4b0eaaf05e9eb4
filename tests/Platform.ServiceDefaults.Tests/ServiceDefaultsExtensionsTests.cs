using System.Net;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using OpenTelemetry.Trace;

namespace Platform.ServiceDefaults.Tests;

public sealed class ServiceDefaultsExtensionsTests
{
    [Fact]
    public async Task Probes_FailingReadyCheck_OnlyReadinessFails()
    {
        await using var app = await StartAsync(builder =>
            builder.Services.AddHealthChecks().AddCheck("database", () => HealthCheckResult.Unhealthy("down"), tags: [ServiceDefaultsExtensions.ReadyTag]));
        using var http = new HttpClient { BaseAddress = new Uri(app.Urls.First()) };

        using var liveness = await http.GetAsync(ServiceDefaultsExtensions.LivenessPath);
        using var readiness = await http.GetAsync(ServiceDefaultsExtensions.ReadinessPath);

        Assert.Equal(HttpStatusCode.OK, liveness.StatusCode);
        Assert.Equal(HttpStatusCode.ServiceUnavailable, readiness.StatusCode);
    }

    [Fact]
    public async Task Probes_HealthyChecks_BothSucceed()
    {
        await using var app = await StartAsync(builder =>
            builder.Services.AddHealthChecks().AddCheck("database", () => HealthCheckResult.Healthy(), tags: [ServiceDefaultsExtensions.ReadyTag]));
        using var http = new HttpClient { BaseAddress = new Uri(app.Urls.First()) };

        using var liveness = await http.GetAsync(ServiceDefaultsExtensions.LivenessPath);
        using var readiness = await http.GetAsync(ServiceDefaultsExtensions.ReadinessPath);

        Assert.Equal(HttpStatusCode.OK, liveness.StatusCode);
        Assert.Equal(HttpStatusCode.OK, readiness.StatusCode);
    }

    [Fact]
    public async Task Tracing_WithoutEndpoint_IsNotRegistered()
    {
        await using var app = await StartAsync(_ => { });

        Assert.Null(app.Services.GetService<TracerProvider>());
        Assert.NotNull(app.Services.GetService<OpenTelemetry.Metrics.MeterProvider>());
    }

    [Fact]
    public async Task Tracing_WithOtlpEndpoint_IsRegistered()
    {
        // Nothing listens on the discard port; the exporter only has to be wired, not to deliver.
        await using var app = await StartAsync(builder => builder.Configuration["Telemetry:OtlpEndpoint"] = "http://127.0.0.1:9");

        Assert.NotNull(app.Services.GetService<TracerProvider>());
    }

    private static async Task<WebApplication> StartAsync(Action<WebApplicationBuilder> configure)
    {
        var builder = WebApplication.CreateBuilder();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        configure(builder);
        builder.AddServiceDefaults("service-defaults-tests");
        var app = builder.Build();
        app.MapHealthEndpoints();
        await app.StartAsync();
        return app;
    }
}
