using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using Platform.Tracking.Client;

namespace Platform.MainJob;

/// <summary>
/// Runs the main job on the one-machine platform: starts the gateway, creates the tenant and its token with
/// <c>labctl</c>, trains an FFM through the gateway, registers and aliases the model, serves it with the
/// inference worker and evaluates it. Each step prints what it does to <c>output</c>.
/// </summary>
public sealed class MainJobRunner
{
    private static readonly TimeSpan StartTimeout = TimeSpan.FromSeconds(90);

    private readonly MainJobOptions _options;
    private readonly TextWriter _output;
    private readonly string _logDirectory;

    public MainJobRunner(MainJobOptions options, TextWriter output)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(output);

        _options = options;
        _output = output;
        _logDirectory = Path.Combine(options.DataDirectory, "logs");
    }

    /// <summary>Runs every step and returns the platform still running; the caller disposes it to stop it.</summary>
    public async Task<RunningPlatform> StartAsync(CancellationToken cancellationToken)
    {
        Directory.CreateDirectory(_options.DataDirectory);
        await _output.WriteLineAsync($"Data folder: {_options.DataDirectory} (logs in {_logDirectory})");

        var gateway = await StartGatewayAsync(cancellationToken);
        var platform = new RunningPlatform(_options, [gateway], await ReadAdminTokenAsync(cancellationToken));
        try
        {
            await CreateTenantAsync(cancellationToken);
            await RevokeEarlierTokensAsync(platform.AdminToken, _options.Owner, cancellationToken);
            platform.OwnerToken = await MintTokenAsync(_options.Owner, cancellationToken);
            await WaitForTenantAsync(platform.OwnerToken, cancellationToken);

            platform.TrainingRunId = await TrainAsync(platform.OwnerToken, cancellationToken);

            using var tracking = CreateTrackingClient(platform.OwnerToken);
            platform.ModelVersion = await SetAliasAsync(tracking, platform.TrainingRunId, cancellationToken);

            platform.Add(await StartInferenceAsync(platform.OwnerToken, cancellationToken));
            platform.Evaluation = await EvaluateAsync(cancellationToken);

            await PrintUsageAsync(platform);
            return platform;
        }
        catch
        {
            await platform.DisposeAsync();
            throw;
        }
    }

    private async Task<ChildProcess> StartGatewayAsync(CancellationToken cancellationToken)
    {
        await StepAsync(1, $"Starting the gateway on {_options.GatewayUrl} (local mode: one tracking server per tenant)");

        // The folder and both ports are checked now, so a busy inference port does not surface only after training.
        DataFolderInUseCheck.EnsureNotInUse(_options.DataDirectory);
        EnsurePortFree(_options.GatewayPort, "--port");
        EnsurePortFree(_options.InferencePort, "--inference-port");
        var gateway = ChildProcess.Start(
            "gateway",
            _options.ProjectAssembly("Platform.Gateway"),
            ["--local", "--data-dir", _options.DataDirectory, "--urls", _options.GatewayUrl.ToString().TrimEnd('/'),
             "--tracking-server", _options.ProjectAssembly("Platform.Tracking")],
            new Dictionary<string, string>(),
            Path.Combine(_logDirectory, "gateway.log"),
            ownSession: true);
        try
        {
            await WaitForHttpAsync(gateway, new Uri(_options.GatewayUrl, "/healthz"), null, cancellationToken);
        }
        catch
        {
            await gateway.DisposeAsync();
            throw;
        }

        return gateway;
    }

    private static void EnsurePortFree(int port, string option)
    {
        try
        {
            using var listener = new System.Net.Sockets.TcpListener(IPAddress.Loopback, port);
            listener.Start();
        }
        catch (System.Net.Sockets.SocketException ex)
        {
            throw new MainJobException($"Port {port} on 127.0.0.1 is not available ({ex.SocketErrorCode}); choose another with {option}.", ex);
        }
    }

    private async Task<string> ReadAdminTokenAsync(CancellationToken cancellationToken)
    {
        var path = Path.Combine(_options.DataDirectory, "admin-token");
        return File.Exists(path)
            ? (await File.ReadAllTextAsync(path, cancellationToken)).Trim()
            : throw new MainJobException($"The gateway did not write its admin token to '{path}'. See {Path.Combine(_logDirectory, "gateway.log")}.");
    }

    private async Task CreateTenantAsync(CancellationToken cancellationToken)
    {
        await StepAsync(2, $"Creating the tenant '{_options.Tenant}' for {_options.Owner} with collaborator {_options.Collaborator}");
        var (exitCode, output) = await RunLabctlAsync(
            ["tenant", "create", _options.Tenant, "--owner", _options.Owner, "--collaborator", _options.Collaborator],
            cancellationToken);
        if (exitCode == LabctlExitCodes.NotFoundOrExists)
        {
            await _output.WriteLineAsync($"    tenant '{_options.Tenant}' already exists; reusing it and its data");
            return;
        }

        if (exitCode != 0)
        {
            throw new MainJobException($"'labctl tenant create' failed with exit code {exitCode}: {output}");
        }
    }

    // Each run mints a 30-day token, so without this every run would leave one more active token behind.
    private async Task RevokeEarlierTokensAsync(string adminToken, string user, CancellationToken cancellationToken)
    {
        using var http = new HttpClient { BaseAddress = _options.GatewayUrl, Timeout = TimeSpan.FromSeconds(30) };
        var revoked = await new EarlierTokenRevoker(http, adminToken).RevokeAsync(user, _options.Tenant, cancellationToken);
        await _output.WriteLineAsync(revoked.Count == 0
            ? $"    no earlier main-job token of {user} to revoke"
            : $"    revoked {revoked.Count} earlier main-job token(s) of {user}: {string.Join(", ", revoked)}");
    }

    private async Task<string> MintTokenAsync(string user, CancellationToken cancellationToken)
    {
        var (exitCode, output) = await RunLabctlAsync(
            ["token", "create", "--user", user, "--tenant", _options.Tenant, "--expires-in", "30d", "--description", EarlierTokenRevoker.TokenDescription],
            cancellationToken);
        var token = output.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).FirstOrDefault();
        if (exitCode != 0 || string.IsNullOrEmpty(token))
        {
            throw new MainJobException($"'labctl token create' failed with exit code {exitCode}: {output}");
        }

        await _output.WriteLineAsync($"    minted a platform token for {user} ({token[..Math.Min(8, token.Length)]}...)");
        return token;
    }

    private async Task<(int ExitCode, string Output)> RunLabctlAsync(IReadOnlyList<string> arguments, CancellationToken cancellationToken)
    {
        await _output.WriteLineAsync($"    $ labctl {ShellQuoting.Join(arguments)}");
        string[] global = ["--gateway", _options.GatewayUrl.ToString().TrimEnd('/'), "--data-dir", _options.DataDirectory];
        await using var labctl = ChildProcess.Start(
            "labctl",
            _options.ProjectAssembly("Platform.Cli", "labctl"),
            [.. global, .. arguments],
            new Dictionary<string, string>(),
            Path.Combine(_logDirectory, "labctl.log"));
        var exitCode = await labctl.WaitForExitAsync(cancellationToken);
        return (exitCode, string.Join('\n', labctl.OutputLines));
    }

    // The gateway starts the tenant's tracking server in the background; routing begins once it is healthy.
    private async Task WaitForTenantAsync(string token, CancellationToken cancellationToken)
    {
        var probe = new Uri($"{_options.TenantTrackingUri}/api/2.0/mlflow/experiments/get-by-name?experiment_name=Default");
        await WaitForHttpAsync(null, probe, token, cancellationToken);
    }

    private async Task<string> TrainAsync(string token, CancellationToken cancellationToken)
    {
        await StepAsync(3, $"Training an FFM on Frappe through the gateway ({_options.TenantTrackingUri})");
        var output = Path.Combine(_options.DataDirectory, "jobs", DateTime.UtcNow.ToString("yyyyMMdd-HHmmss", CultureInfo.InvariantCulture));
        string[] arguments =
        [
            "train", "ffm",
            "--train", _options.TrainingFile,
            "--validation", _options.ValidationFile,
            "-k", "8", "-t", _options.Epochs.ToString(CultureInfo.InvariantCulture), "--auto-stop",
            "--experiment", "frappe",
            "--register-model", _options.ModelName,
            "--output", output,
        ];
        await _output.WriteLineAsync($"    $ train {ShellQuoting.Join(arguments.Skip(1))}");
        await using var training = ChildProcess.Start(
            "training worker",
            _options.ProjectAssembly("Platform.Workers.Training"),
            arguments,
            TrackingEnvironment(token),
            Path.Combine(_logDirectory, "training.log"),
            _output);
        var exitCode = await training.WaitForExitAsync(cancellationToken);
        if (exitCode != 0)
        {
            throw new MainJobException($"The training worker failed with exit code {exitCode}. See {Path.Combine(_logDirectory, "training.log")}.");
        }

        // The worker's last line is "run <id>: <n> epochs, model of epoch <e>".
        var summary = training.OutputLines.LastOrDefault(line => line.StartsWith("run ", StringComparison.Ordinal))
            ?? throw new MainJobException("The training worker did not print its run id.");
        return summary[4..summary.IndexOf(':', StringComparison.Ordinal)];
    }

    private async Task<string> SetAliasAsync(TrackingClient tracking, string runId, CancellationToken cancellationToken)
    {
        await StepAsync(4, $"Setting the alias '{_options.ModelAlias}' and serving models:/{_options.ModelName}@{_options.ModelAlias}");
        var versions = await tracking.Registry.SearchModelVersionsAsync(
            filter: $"name = '{_options.ModelName}' and run_id = '{runId}'", cancellationToken: cancellationToken);
        var version = versions.ModelVersions
            .OrderByDescending(v => long.Parse(v.Version, CultureInfo.InvariantCulture))
            .FirstOrDefault()
            ?? throw new MainJobException($"No version of '{_options.ModelName}' was registered by run {runId}.");
        await tracking.Registry.SetAliasAsync(_options.ModelName, _options.ModelAlias, version.Version, cancellationToken);
        await _output.WriteLineAsync($"    {_options.ModelName} version {version.Version} (run {runId}) now has the alias '{_options.ModelAlias}'");
        return version.Version;
    }

    private async Task<ChildProcess> StartInferenceAsync(string token, CancellationToken cancellationToken)
    {
        var inference = ChildProcess.Start(
            "inference worker",
            _options.ProjectAssembly("Platform.Workers.Inference"),
            ["--model", $"models:/{_options.ModelName}@{_options.ModelAlias}", "--urls", _options.InferenceUrl.ToString().TrimEnd('/')],
            new Dictionary<string, string>(TrackingEnvironment(token))
            {
                ["Tracking__ModelCacheDirectory"] = Path.Combine(_options.DataDirectory, "model-cache"),
            },
            Path.Combine(_logDirectory, "inference.log"),
            ownSession: true);
        try
        {
            await WaitForHttpAsync(inference, new Uri(_options.InferenceUrl, "/readyz"), null, cancellationToken);
        }
        catch
        {
            await inference.DisposeAsync();
            throw;
        }

        await _output.WriteLineAsync($"    inference worker ready on {_options.InferenceUrl}");
        return inference;
    }

    private async Task<EvaluationResult> EvaluateAsync(CancellationToken cancellationToken)
    {
        // These are the rows auto-stop watched during training, so the scores are not a held-out estimate.
        await StepAsync(5, $"Sending the {Path.GetFileName(_options.ValidationFile)} rows (the validation set), {_options.RowsPerRequest} per request");
        using var http = new HttpClient { BaseAddress = _options.InferenceUrl };
        var result = await new PredictionEvaluator(http).EvaluateAsync(_options.ModelName, _options.ValidationFile, _options.RowsPerRequest, cancellationToken);
        await _output.WriteLineAsync(string.Create(CultureInfo.InvariantCulture,
            $"    {result.Rows} rows in {result.Requests} requests: logloss {result.Logloss:F4}, AUC {result.Auc:F4}"));
        await _output.WriteLineAsync(string.Create(CultureInfo.InvariantCulture,
            $"    request latency: p50 {result.P50Milliseconds:F2} ms, p95 {result.P95Milliseconds:F2} ms, p99 {result.P99Milliseconds:F2} ms"));
        return result;
    }

    private async Task PrintUsageAsync(RunningPlatform platform)
    {
        await StepAsync(6, "Use the platform");
        await _output.WriteLineAsync($"    gateway:          {_options.GatewayUrl}");
        await _output.WriteLineAsync($"    alice's server:   {_options.TenantTrackingUri}");
        await _output.WriteLineAsync($"    inference worker: {_options.InferenceUrl}v1/models/{_options.ModelName}/predict");
        await _output.WriteLineAsync(_options.KeepRunning
            ? "    To use the MLflow client against alice's server, run in another terminal:"
            : "    While the platform runs (make run without --no-wait), these lines point the MLflow client at alice's server:");
        await _output.WriteLineAsync($"    export MLFLOW_TRACKING_URI={_options.TenantTrackingUri}");
        await _output.WriteLineAsync($"    export MLFLOW_TRACKING_TOKEN={platform.OwnerToken}");
    }

    private Dictionary<string, string> TrackingEnvironment(string token) => new()
    {
        ["MLFLOW_TRACKING_URI"] = _options.TenantTrackingUri.ToString(),
        ["MLFLOW_TRACKING_TOKEN"] = token,

        // One line per log entry keeps the echoed training progress readable.
        ["Logging__Console__FormatterName"] = "simple",
        ["Logging__Console__FormatterOptions__SingleLine"] = "true",
    };

    private TrackingClient CreateTrackingClient(string token) =>
        new(new TrackingClientOptions { TrackingUri = _options.TenantTrackingUri, Token = token });

    private async Task<MainJobException> ExitedBeforeReadyAsync(ChildProcess process, Uri url)
    {
        // Waiting for the exit also waits until the output is read to its end, so the last stderr lines are there.
        await process.WaitForExitAsync(CancellationToken.None);

        // The programs print a start-up failure as one "error: ..." line, for example a data folder that another gateway locks.
        var error = process.ErrorLines.LastOrDefault(line => line.StartsWith("error: ", StringComparison.Ordinal));
        if (error is not null)
        {
            return new MainJobException($"The {process.Name} exited with code {process.ExitCode} before {url} responded: {error["error: ".Length..]}");
        }

        return new MainJobException(
            $"The {process.Name} exited with code {process.ExitCode} before {url} responded. See the logs in {_logDirectory}" +
            (process.Name == "gateway" ? $"; is port {_options.GatewayPort} already in use? Choose another with --port." : "."));
    }

    private Task StepAsync(int number, string text) => _output.WriteLineAsync($"==> [{number}/6] {text}");

    // Polls until the URL returns 200; fails early when the process that should serve it exits.
    private async Task WaitForHttpAsync(ChildProcess? process, Uri url, string? token, CancellationToken cancellationToken)
    {
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(5) };
        var deadline = DateTime.UtcNow + StartTimeout;
        var lastStatus = "no answer";
        while (DateTime.UtcNow < deadline)
        {
            if (process is { HasExited: true })
            {
                throw await ExitedBeforeReadyAsync(process, url);
            }

            try
            {
                using var request = new HttpRequestMessage(HttpMethod.Get, url);
                if (token is not null)
                {
                    request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
                }

                using var response = await http.SendAsync(request, cancellationToken);
                if (response.StatusCode == HttpStatusCode.OK)
                {
                    return;
                }

                lastStatus = $"HTTP {(int)response.StatusCode}";
            }
            catch (HttpRequestException ex)
            {
                lastStatus = ex.Message;
            }
            catch (TaskCanceledException) when (!cancellationToken.IsCancellationRequested)
            {
                lastStatus = "timed out";
            }

            await Task.Delay(250, cancellationToken);
        }

        throw new MainJobException($"{url} did not return 200 within {StartTimeout.TotalSeconds:F0} s (last: {lastStatus}). See the logs in {_logDirectory}.");
    }
}
