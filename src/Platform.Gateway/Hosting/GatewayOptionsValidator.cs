using Microsoft.Extensions.Options;

namespace Platform.Gateway.Hosting;

/// <summary>Rejects gateway settings that would start an insecure or unusable gateway.</summary>
internal sealed class GatewayOptionsValidator : IValidateOptions<GatewayOptions>
{
    public ValidateOptionsResult Validate(string? name, GatewayOptions options)
    {
        // Every problem is collected so one start reports all of them.
        var errors = new List<string>();
        if (!options.Local && string.IsNullOrWhiteSpace(options.GatewaySecret))
        {
            errors.Add("Gateway:GatewaySecret is missing: outside local mode the tracking servers need the shared secret. Set it or start with --local.");
        }

        if (options.GatewaySecret is { Length: > 0 and < 16 })
        {
            errors.Add($"Gateway:GatewaySecret is too short ({options.GatewaySecret.Length} characters): use at least 16 random characters.");
        }

        if (options.DestinationTemplate is { Length: > 0 } template && !template.Contains("{tenant}", StringComparison.Ordinal))
        {
            errors.Add($"Gateway:DestinationTemplate '{template}' has no '{{tenant}}' placeholder, so every tenant would reach the same server.");
        }

        if (options.ActivityTimeout <= TimeSpan.Zero)
        {
            errors.Add($"Gateway:ActivityTimeout must be positive, got '{options.ActivityTimeout}'.");
        }

        if (options.HealthCheckInterval <= TimeSpan.Zero || options.HealthCheckTimeout <= TimeSpan.Zero)
        {
            errors.Add("Gateway:HealthCheckInterval and Gateway:HealthCheckTimeout must be positive.");
        }

        return errors.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(errors);
    }
}
