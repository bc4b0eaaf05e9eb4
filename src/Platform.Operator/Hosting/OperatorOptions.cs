namespace Platform.Operator.Hosting;

/// <summary>Operator settings, bound from the <c>Operator</c> configuration section (environment: <c>Operator__Bucket</c> and so on).</summary>
public sealed class OperatorOptions
{
    public const string SectionName = "Operator";

    /// <summary>Npgsql connection string of a role that may create roles and schemas. Required.</summary>
    public string AdminConnectionString { get; set; } = "";

    /// <summary>
    /// <c>host:port</c> that tenant pods use to reach PostgreSQL. Empty: the host and port of
    /// <see cref="AdminConnectionString"/>, which fits when the operator and tenants share a network.
    /// </summary>
    public string TenantDatabaseEndpoint { get; set; } = "";

    /// <summary>Where tenant artifacts live: <c>gcs</c> (default), <c>local</c> (a folder, for one machine and tests) or <c>none</c>.</summary>
    public string StorageKind { get; set; } = "gcs";

    /// <summary>Artifact bucket name, without <c>gs://</c>. Required.</summary>
    public string Bucket { get; set; } = "";

    /// <summary>Folder used in place of the bucket when <see cref="StorageKind"/> is <c>local</c>.</summary>
    public string LocalStorageRoot { get; set; } = "";

    /// <summary>Public base address of the gateway, for example <c>https://lab.example.org</c>; tenants get <c>{base}/u/{name}</c>. Required.</summary>
    public string GatewayBaseUrl { get; set; } = "";

    /// <summary>Tracking server image used when a TrackingServer names none. Required.</summary>
    public string TrackingImage { get; set; } = "";

    /// <summary>Namespace whose TrackingServers this operator reconciles. Empty: every namespace.</summary>
    public string WatchNamespace { get; set; } = "";

    /// <summary>Labels of the gateway's pods; the tenant NetworkPolicy admits only pods with all of them.</summary>
    public Dictionary<string, string> GatewayPodLabels { get; set; } = new(StringComparer.Ordinal) { ["app.kubernetes.io/name"] = "lab-platform-gateway" };

    /// <summary>Namespace of the gateway's pods. Empty: the tenant's own namespace.</summary>
    public string GatewayNamespace { get; set; } = "";

    /// <summary>Secret (in the tenant's namespace) whose <c>gateway-secret</c> key the tracking server gets as <c>LABPLATFORM_GATEWAY_SECRET</c>. Empty: none.</summary>
    public string GatewaySecretName { get; set; } = "";

    /// <summary>Namespace of the leader-election Lease. Default <c>default</c>.</summary>
    public string LeaseNamespace { get; set; } = "default";

    /// <summary>Name of the leader-election Lease.</summary>
    public string LeaseName { get; set; } = "labplatform-operator";

    /// <summary>This replica's identity in the Lease. Empty: the host name plus a random suffix.</summary>
    public string Identity { get; set; } = "";

    /// <summary>How long a Lease stays valid without renewal. Default 15 s (controller-runtime's default).</summary>
    public TimeSpan LeaseDuration { get; set; } = TimeSpan.FromSeconds(15);

    /// <summary>How long the leader keeps retrying a renewal before it gives up leadership. Default 10 s.</summary>
    public TimeSpan RenewDeadline { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>Interval between attempts to acquire or renew the Lease. Default 2 s.</summary>
    public TimeSpan RetryPeriod { get; set; } = TimeSpan.FromSeconds(2);

    /// <summary>Number of TrackingServers reconciled at the same time. Default 4.</summary>
    public int Workers { get; set; } = 4;

    /// <summary>How often a Ready TrackingServer is reconciled again to repair drift that no watch event reported. Default 10 min.</summary>
    public TimeSpan ResyncPeriod { get; set; } = TimeSpan.FromMinutes(10);

    /// <summary>API server address, for running outside a cluster. Empty: in-cluster configuration, else the kubeconfig.</summary>
    public string KubernetesUrl { get; set; } = "";

    /// <summary>Address that <c>/healthz</c> and <c>/readyz</c> listen on. Default <c>0.0.0.0</c>, so the kubelet can reach them.</summary>
    public string HealthAddress { get; set; } = "0.0.0.0";

    /// <summary>Port of <c>/healthz</c> and <c>/readyz</c>. Default 8081; 0 picks a free port.</summary>
    public int HealthPort { get; set; } = 8081;
}
