namespace Platform.Tracking.Hosting;

/// <summary>Settings of one tracking server, mirroring the flags of <c>mlflow server</c>.</summary>
public sealed class TrackingServerOptions
{
    /// <summary>Address to listen on. Default: 127.0.0.1.</summary>
    public string Host { get; set; } = "127.0.0.1";

    /// <summary>TCP port. 0 picks a free port, which <see cref="TrackingServerApp.GetBaseAddress"/> returns after start.</summary>
    public int Port { get; set; } = 5000;

    /// <summary>
    /// Metadata store: <c>sqlite:///abs/path.db</c>, <c>sqlite:///:memory:</c> or
    /// <c>postgresql://user:pass@host:port/db?schema=name</c>. Default: <c>./mlruns-data/mlflow.db</c>.
    /// </summary>
    public string? BackendStoreUri { get; set; }

    /// <summary>Where artifacts go: a folder or <c>gs://bucket/prefix</c>. Served by the artifact proxy, not by this project.</summary>
    public string? ArtifactsDestination { get; set; }

    /// <summary>Secret shared with the gateway. Without it, <c>X-LabPlatform-User</c> is ignored.</summary>
    public string? GatewaySecret { get; set; }

    /// <summary>
    /// Whether every request except the health probes must carry the gateway secret, so that a server on a shared
    /// machine cannot be reached around the gateway (command line <c>--require-gateway</c> or
    /// <c>LABPLATFORM_REQUIRE_GATEWAY=true</c>).
    /// </summary>
    public bool RequireGateway { get; set; }

    /// <summary>Returns the store URI to use, applying the default SQLite file under the working folder.</summary>
    public string ResolveBackendStoreUri() =>
        string.IsNullOrWhiteSpace(BackendStoreUri)
            ? "sqlite:///" + Path.GetFullPath(Path.Combine("mlruns-data", "mlflow.db"))
            : BackendStoreUri;
}
