using System.Net;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Platform.Artifacts;

namespace Platform.Benchmarks.Artifacts;

/// <summary>
/// The measured server: a Kestrel host with only the artifact endpoints, as the tracking server maps
/// them (<c>AddArtifactStore</c> plus <c>MapMlflowArtifacts</c>). Runs in the child process.
/// </summary>
internal static class ArtifactsHost
{
    /// <summary>Line the host prints once it accepts requests.</summary>
    public const string ReadyLine = "artifacts-host: ready";

    public static async Task<int> RunAsync(int port, string destination, string? gcsBaseUri, int gcsChunkSize, CancellationToken cancellationToken)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.SetMinimumLevel(LogLevel.Warning);
        builder.WebHost.UseKestrel(kestrel => kestrel.Listen(IPAddress.Loopback, port));
        builder.Services.AddArtifactStore(destination, options =>
        {
            options.GcsBaseUri = gcsBaseUri;
            options.GcsUploadChunkSize = gcsChunkSize;
        });

        var app = builder.Build();
        app.MapMlflowArtifacts();
        await app.StartAsync(cancellationToken);
        Console.WriteLine(ReadyLine);
        await app.WaitForShutdownAsync(cancellationToken);
        return 0;
    }
}
