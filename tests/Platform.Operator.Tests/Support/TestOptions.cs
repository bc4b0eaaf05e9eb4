using Microsoft.Extensions.Options;
using Platform.Operator.Hosting;

namespace Platform.Operator.Tests.Support;

/// <summary>Operator options for reconciler tests that run without the host.</summary>
internal static class TestOptions
{
    public static IOptions<OperatorOptions> Create(string adminConnectionString = "Host=127.0.0.1;Port=55432;Username=postgres;Database=postgres", string storageRoot = "") =>
        Options.Create(new OperatorOptions
        {
            AdminConnectionString = adminConnectionString,
            Bucket = "lab-artifacts",
            StorageKind = storageRoot.Length == 0 ? "none" : "local",
            LocalStorageRoot = storageRoot,
            GatewayBaseUrl = OperatorProcess.GatewayBaseUrl,
            TrackingImage = "ghcr.io/labplatform/tracking:test",
            GatewayNamespace = "lab-system",
        });
}
