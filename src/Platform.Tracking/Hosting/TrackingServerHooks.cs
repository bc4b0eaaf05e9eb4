namespace Platform.Tracking.Hosting;

/// <summary>Extension points for hosts that add features to the tracking server, such as the artifact proxy.</summary>
public sealed class TrackingServerHooks
{
    /// <summary>Registers extra services before the app is built.</summary>
    public Action<WebApplicationBuilder>? ConfigureServices { get; init; }

    /// <summary>Maps extra endpoints before the MLflow routes and the JSON 404 fallback are mapped.</summary>
    public Action<WebApplication>? MapEndpoints { get; init; }
}
