using Microsoft.Extensions.Options;

namespace Platform.Operator.Hosting;

/// <summary>Checks <see cref="OperatorOptions"/> at start-up and reports every invalid setting at once.</summary>
public sealed class OperatorOptionsValidator : IValidateOptions<OperatorOptions>
{
    public ValidateOptionsResult Validate(string? name, OperatorOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var errors = new List<string>();

        if (string.IsNullOrWhiteSpace(options.AdminConnectionString))
        {
            errors.Add("Operator:AdminConnectionString is missing; set it to an Npgsql connection string of a role that may create roles and schemas.");
        }

        if (options.StorageKind is not ("gcs" or "local" or "none"))
        {
            errors.Add($"Operator:StorageKind '{options.StorageKind}' is invalid; use gcs, local or none.");
        }

        if (string.IsNullOrWhiteSpace(options.Bucket))
        {
            errors.Add("Operator:Bucket is missing; set it to the artifact bucket name without gs://.");
        }
        else if (options.Bucket.Contains('/', StringComparison.Ordinal))
        {
            errors.Add($"Operator:Bucket '{options.Bucket}' is invalid; give the bucket name only, without gs:// or a path.");
        }

        if (options.StorageKind == "local" && string.IsNullOrWhiteSpace(options.LocalStorageRoot))
        {
            errors.Add("Operator:LocalStorageRoot is missing; StorageKind local needs a folder.");
        }

        if (!Uri.TryCreate(options.GatewayBaseUrl, UriKind.Absolute, out var gateway) || gateway.Scheme is not ("http" or "https"))
        {
            errors.Add($"Operator:GatewayBaseUrl '{options.GatewayBaseUrl}' is invalid; set an absolute http or https address such as https://lab.example.org.");
        }

        if (string.IsNullOrWhiteSpace(options.TrackingImage))
        {
            errors.Add("Operator:TrackingImage is missing; set the tracking server image, for example ghcr.io/lab/platform-tracking:1.0.");
        }

        if (options.Workers is < 1 or > 64)
        {
            errors.Add($"Operator:Workers {options.Workers} is invalid; use 1 to 64.");
        }

        if (options.RenewDeadline >= options.LeaseDuration || options.RetryPeriod >= options.RenewDeadline || options.RetryPeriod <= TimeSpan.Zero)
        {
            errors.Add($"Lease timing is invalid (LeaseDuration {options.LeaseDuration}, RenewDeadline {options.RenewDeadline}, RetryPeriod {options.RetryPeriod}); it needs 0 < RetryPeriod < RenewDeadline < LeaseDuration.");
        }

        if (options.GatewayPodLabels.Count == 0)
        {
            errors.Add("Operator:GatewayPodLabels is empty; the tenant NetworkPolicy would admit every pod. Set the gateway pods' labels.");
        }

        if (options.HealthPort is < 0 or > 65535)
        {
            errors.Add($"Operator:HealthPort {options.HealthPort} is invalid; use 0 to 65535.");
        }

        return errors.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(errors);
    }
}
