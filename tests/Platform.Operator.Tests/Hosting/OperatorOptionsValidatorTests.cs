using Platform.Operator.Hosting;

namespace Platform.Operator.Tests.Hosting;

public sealed class OperatorOptionsValidatorTests
{
    [Fact]
    public void Validate_CompleteOptionsPass()
    {
        var result = new OperatorOptionsValidator().Validate(null, Valid());

        Assert.True(result.Succeeded);
    }

    [Fact]
    public void Validate_ReportsEveryInvalidSetting()
    {
        var options = new OperatorOptions
        {
            StorageKind = "s3",
            Bucket = "gs://lab/artifacts",
            GatewayBaseUrl = "lab.example.org",
            Workers = 0,
            LeaseDuration = TimeSpan.FromSeconds(5),
            RenewDeadline = TimeSpan.FromSeconds(10),
            GatewayPodLabels = [],
            HealthPort = 70000,
        };

        var failures = new OperatorOptionsValidator().Validate(null, options).Failures!.ToList();

        Assert.Contains(failures, f => f.StartsWith("Operator:AdminConnectionString is missing", StringComparison.Ordinal));
        Assert.Contains("Operator:StorageKind 's3' is invalid; use gcs, local or none.", failures);
        Assert.Contains("Operator:Bucket 'gs://lab/artifacts' is invalid; give the bucket name only, without gs:// or a path.", failures);
        Assert.Contains(failures, f => f.StartsWith("Operator:GatewayBaseUrl 'lab.example.org' is invalid", StringComparison.Ordinal));
        Assert.Contains(failures, f => f.StartsWith("Operator:TrackingImage is missing", StringComparison.Ordinal));
        Assert.Contains("Operator:Workers 0 is invalid; use 1 to 64.", failures);
        Assert.Contains(failures, f => f.StartsWith("Lease timing is invalid", StringComparison.Ordinal));
        Assert.Contains(failures, f => f.StartsWith("Operator:GatewayPodLabels is empty", StringComparison.Ordinal));
        Assert.Contains("Operator:HealthPort 70000 is invalid; use 0 to 65535.", failures);
        Assert.Equal(9, failures.Count);
    }

    [Fact]
    public void Validate_LocalStorageNeedsFolder()
    {
        var options = Valid();
        options.StorageKind = "local";

        var failures = new OperatorOptionsValidator().Validate(null, options).Failures!;

        Assert.Equal(["Operator:LocalStorageRoot is missing; StorageKind local needs a folder."], failures);
    }

    [Fact]
    public async Task Host_RefusesToStartWithInvalidOptions()
    {
        var app = OperatorHost.Build(["--Operator:HealthAddress=127.0.0.1", "--Operator:HealthPort=0"]);

        var error = await Assert.ThrowsAsync<Microsoft.Extensions.Options.OptionsValidationException>(() => app.StartAsync());

        Assert.Contains("Operator:AdminConnectionString is missing", error.Message);
        await app.DisposeAsync();
    }

    private static OperatorOptions Valid() => new()
    {
        AdminConnectionString = "Host=db;Username=admin;Password=x",
        Bucket = "lab-artifacts",
        GatewayBaseUrl = "https://lab.example.org",
        TrackingImage = "ghcr.io/labplatform/tracking:1.0",
    };
}
