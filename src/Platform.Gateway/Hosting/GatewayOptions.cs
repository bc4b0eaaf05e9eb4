namespace Platform.Gateway.Hosting;

/// <summary>Gateway settings, bound from the <c>Gateway</c> configuration section.</summary>
public sealed class GatewayOptions
{
    /// <summary>Configuration section name.</summary>
    public const string SectionName = "Gateway";

    /// <summary>
    /// One-machine mode: the gateway starts one tracking server per tenant as a child process and
    /// keeps its state under <see cref="DataDirectory"/>.
    /// </summary>
    public bool Local { get; set; }

    /// <summary>
    /// Folder for the gateway database, the admin token file and (in local mode) each tenant's data.
    /// Defaults to <c>$XDG_DATA_HOME/labplatform</c> or <c>~/.local/share/labplatform</c>.
    /// </summary>
    public string? DataDirectory { get; set; }

    /// <summary>Address the gateway listens on unless <c>--urls</c> or <c>ASPNETCORE_URLS</c> is set.</summary>
    public string ListenUrl { get; set; } = "http://127.0.0.1:8080";

    /// <summary>
    /// Shared secret sent to tracking servers in <c>X-LabPlatform-Gateway-Secret</c>. Required outside
    /// local mode; local mode generates a fresh one at each start and hands it to its children.
    /// </summary>
    public string? GatewaySecret { get; set; }

    /// <summary>Emails of platform admins, who may use every tenant and the admin API.</summary>
    public List<string> Admins { get; set; } = [];

    /// <summary>
    /// Address of a tenant's tracking server outside local mode when the tenant has no explicit
    /// destination, with <c>{tenant}</c> replaced by the tenant name, for example
    /// <c>http://tracking-{tenant}.labplatform.svc:5000</c>.
    /// </summary>
    public string? DestinationTemplate { get; set; }

    /// <summary>
    /// How long a proxied request may go without sending or receiving a byte before it is aborted.
    /// Large uploads are not limited in total, only in idle time.
    /// </summary>
    public TimeSpan ActivityTimeout { get; set; } = TimeSpan.FromSeconds(100);

    /// <summary>Interval of the active <c>/healthz</c> probe of each tracking server.</summary>
    public TimeSpan HealthCheckInterval { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>Timeout of one active health probe.</summary>
    public TimeSpan HealthCheckTimeout { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>Returns the configured data folder or the per-user default.</summary>
    public string ResolveDataDirectory()
    {
        if (!string.IsNullOrWhiteSpace(DataDirectory))
        {
            return Path.GetFullPath(DataDirectory);
        }

        var dataHome = Environment.GetEnvironmentVariable("XDG_DATA_HOME");
        if (string.IsNullOrWhiteSpace(dataHome))
        {
            dataHome = Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".local", "share");
        }

        return Path.Combine(dataHome, "labplatform");
    }
}
