namespace Platform.Testing.Kubernetes;

/// <summary>Settings of the in-process Kubernetes API test server.</summary>
public sealed class KubernetesTestServerOptions
{
    /// <summary>How many watch events the server keeps for resuming watches; older versions get 410 Gone. Default 10,000.</summary>
    public int WatchHistoryCapacity { get; set; } = 10_000;

    /// <summary>How long a watch may stay idle before the server sends a BOOKMARK (when the client allows them). Default 1 s.</summary>
    public TimeSpan BookmarkInterval { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>How long a watch stream stays open when the client sets no <c>timeoutSeconds</c>. Default 5 min.</summary>
    public TimeSpan MaxWatchDuration { get; set; } = TimeSpan.FromMinutes(5);

    /// <summary>
    /// When true, every Deployment reports all replicas ready as soon as it is written, as a cluster with
    /// instant kubelets would. When false (the default), a test marks each one with <see cref="KubernetesTestServer.MarkDeploymentReady"/>.
    /// </summary>
    public bool ReadyDeploymentsAutomatically { get; set; }

    /// <summary>Clock for creation and deletion timestamps.</summary>
    public TimeProvider TimeProvider { get; set; } = TimeProvider.System;
}
