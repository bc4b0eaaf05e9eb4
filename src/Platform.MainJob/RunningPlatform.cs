namespace Platform.MainJob;

/// <summary>
/// The one-machine platform left running by <see cref="MainJobRunner.StartAsync"/>: the gateway (which runs the
/// tenants' tracking servers) and the inference worker. Disposing it stops both and their child processes.
/// </summary>
public sealed class RunningPlatform : IAsyncDisposable
{
    private readonly List<ChildProcess> _processes;

    internal RunningPlatform(MainJobOptions options, List<ChildProcess> processes, string adminToken)
    {
        Options = options;
        _processes = processes;
        AdminToken = adminToken;
    }

    public MainJobOptions Options { get; }

    /// <summary>The gateway's bootstrap admin token, read from the data folder.</summary>
    public string AdminToken { get; }

    /// <summary>The owner's platform token minted by this run.</summary>
    public string OwnerToken { get; internal set; } = string.Empty;

    /// <summary>The MLflow run that trained the served model.</summary>
    public string TrainingRunId { get; internal set; } = string.Empty;

    /// <summary>The registered model version that the alias points at.</summary>
    public string ModelVersion { get; internal set; } = string.Empty;

    /// <summary>The served model's quality and latency on the validation rows.</summary>
    public EvaluationResult? Evaluation { get; internal set; }

    internal void Add(ChildProcess process) => _processes.Add(process);

    /// <summary>Returns the first process that exited on its own, or null while all run.</summary>
    internal ChildProcess? FindExited() => _processes.FirstOrDefault(process => process.HasExited);

    public async ValueTask DisposeAsync()
    {
        // The inference worker depends on the gateway, so it stops first.
        for (var i = _processes.Count - 1; i >= 0; i--)
        {
            await _processes[i].DisposeAsync();
        }

        _processes.Clear();
    }
}
