using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace Platform.Workers.Inference.Models;

/// <summary>Ready once a model is loaded.</summary>
public sealed class ModelLoadedHealthCheck(ModelHolder holder) : IHealthCheck
{
    public Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default) =>
        Task.FromResult(holder.Current is { } model
            ? HealthCheckResult.Healthy($"serving {model.Name} version {model.Version}")
            : HealthCheckResult.Unhealthy("no model loaded yet"));
}
