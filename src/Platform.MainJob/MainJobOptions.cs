namespace Platform.MainJob;

/// <summary>Settings of one main-job run; the command line sets them (see <see cref="MainJobCommandLine"/>).</summary>
public sealed class MainJobOptions
{
    /// <summary>Folder for tenants, tokens, tracking data and logs; a second run reuses it.</summary>
    public required string DataDirectory { get; init; }

    /// <summary>The repository checkout whose build output and <c>data/samples</c> are used.</summary>
    public required string RepositoryRoot { get; init; }

    /// <summary>Build configuration whose output is started (<c>Release</c> or <c>Debug</c>).</summary>
    public string Configuration { get; init; } = "Release";

    /// <summary>Gateway port on 127.0.0.1.</summary>
    public int GatewayPort { get; init; } = 8080;

    /// <summary>Inference worker port on 127.0.0.1.</summary>
    public int InferencePort { get; init; } = 8090;

    /// <summary>Maximum training epochs; auto-stop usually ends training earlier.</summary>
    public int Epochs { get; init; } = 50;

    /// <summary>Rows per prediction request while evaluating.</summary>
    public int RowsPerRequest { get; init; } = 100;

    /// <summary>Whether to keep the platform running until Ctrl-C after the job.</summary>
    public bool KeepRunning { get; init; } = true;

    /// <summary>The tenant that the job creates and trains for.</summary>
    public string Tenant { get; init; } = "alice";

    /// <summary>The tenant's owner.</summary>
    public string Owner { get; init; } = "alice@example.com";

    /// <summary>The tenant's collaborator.</summary>
    public string Collaborator { get; init; } = "bob@example.com";

    /// <summary>Registered model name.</summary>
    public string ModelName { get; init; } = "frappe-ffm";

    /// <summary>Alias that the inference worker follows.</summary>
    public string ModelAlias { get; init; } = "production";

    /// <summary>Training data, libffm text.</summary>
    public string TrainingFile => Path.Combine(RepositoryRoot, "data", "samples", "frappe.validation.ffm");

    /// <summary>Validation and test data, libffm text.</summary>
    public string ValidationFile => Path.Combine(RepositoryRoot, "data", "samples", "frappe.test.ffm");

    /// <summary>Base URL of the gateway.</summary>
    public Uri GatewayUrl => new($"http://127.0.0.1:{GatewayPort}");

    /// <summary>Base URL of the inference worker.</summary>
    public Uri InferenceUrl => new($"http://127.0.0.1:{InferencePort}");

    /// <summary>Tracking URI of the tenant's server through the gateway.</summary>
    public Uri TenantTrackingUri => new($"http://127.0.0.1:{GatewayPort}/u/{Tenant}");

    /// <summary>Path of a project's built assembly, for example <c>src/Platform.Gateway/bin/Release/net10.0/Platform.Gateway.dll</c>.</summary>
    public string ProjectAssembly(string project, string? assemblyName = null) =>
        Path.Combine(RepositoryRoot, "src", project, "bin", Configuration, "net10.0", (assemblyName ?? project) + ".dll");
}
