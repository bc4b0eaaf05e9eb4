using System.Text;

namespace Platform.Tracking.Client.Tests;

/// <summary>The SDK against the real tracking server on SQLite, with the artifact proxy, in-process.</summary>
public sealed class SqliteServerTests(SqliteServerFixture server) : RealServerTests(server), IClassFixture<SqliteServerFixture>;

/// <summary>The SDK against the real tracking server on PostgreSQL, with the artifact proxy, in-process.</summary>
public sealed class PostgresServerTests(PostgresServerFixture server) : RealServerTests(server), IClassFixture<PostgresServerFixture>;

/// <summary>Round trips through the SDK and the real server; each derived class runs them on one backend store.</summary>
public abstract class RealServerTests : IDisposable
{
    private readonly string _folder = Directory.CreateTempSubdirectory("labplatform-client-local-").FullName;
    private readonly TrackingClient _client;

    protected RealServerTests(TrackingServerFixture server)
    {
        _client = server.CreateClient(Path.Combine(_folder, "cache"));
    }

    public void Dispose()
    {
        _client.Dispose();
        Directory.Delete(_folder, recursive: true);
        GC.SuppressFinalize(this);
    }

    [Fact]
    public async Task Experiments_GetOrCreateAndSearch()
    {
        var name = $"exp-{Guid.NewGuid():N}";

        Assert.Null(await _client.Experiments.GetByNameAsync(name));
        var id = await _client.Experiments.GetOrCreateAsync(name);
        var again = await _client.Experiments.GetOrCreateAsync(name);
        var duplicate = await Assert.ThrowsAsync<MlflowException>(() => _client.Experiments.CreateAsync(name));
        var found = await _client.Experiments.SearchAsync($"name = '{name}'");

        Assert.Equal(id, again);
        Assert.Equal(MlflowErrorCodes.ResourceAlreadyExists, duplicate.ErrorCode);
        Assert.Equal(400, (int)duplicate.StatusCode);
        Assert.Equal(id, Assert.Single(found.Experiments).ExperimentId);
        Assert.Equal(name, (await _client.Experiments.GetAsync(id)).Name);
    }

    [Fact]
    public async Task RunScope_LogsMetricsParamsAndEnds()
    {
        var experimentId = await _client.Experiments.GetOrCreateAsync($"runs-{Guid.NewGuid():N}");
        string runId;

        await using (var run = await _client.StartRunAsync(experimentId, "train", new Dictionary<string, string> { ["team"] = "ads" }))
        {
            runId = run.RunId;
            await run.LogParamsAsync(new Dictionary<string, string> { ["lr"] = "0.1", ["epochs"] = "3" });
            await run.SetTagAsync("stage", "test");
            for (var step = 0; step < 2500; step++)
            {
                run.LogMetric("loss", 1.0 / (step + 1), step, timestamp: 1_700_000_000_000 + step);
            }

            run.LogMetric("auc", double.NaN, 0);
            run.LogMetric("auc", double.PositiveInfinity, 1);
        }

        var stored = await _client.Runs.GetAsync(runId);
        var history = await _client.Runs.GetMetricHistoryAsync(runId, "loss");
        var auc = await _client.Runs.GetMetricHistoryAsync(runId, "auc");

        Assert.Equal(RunStatus.Finished, stored.Info.Status);
        Assert.NotNull(stored.Info.EndTime);
        Assert.Equal("0.1", stored.Data.Params.Single(p => p.Key == "lr").Value);
        Assert.Contains(stored.Data.Tags, t => t.Key == "team" && t.Value == "ads");
        Assert.Contains(stored.Data.Tags, t => t.Key == "stage" && t.Value == "test");
        Assert.Equal(1.0 / 2500, stored.Data.Metrics.Single(m => m.Key == "loss").Value);
        Assert.Equal(2500, history.Count);
        Assert.Equal(Enumerable.Range(0, 2500).Select(i => (long)i), history.Select(m => m.Step).Order());
        Assert.Contains(auc, m => double.IsNaN(m.Value));
        Assert.Contains(auc, m => double.IsPositiveInfinity(m.Value));
    }

    [Fact]
    public async Task RunAsync_FailureIsStoredAsFailed()
    {
        var experimentId = await _client.Experiments.GetOrCreateAsync($"fail-{Guid.NewGuid():N}");
        string? runId = null;

        await Assert.ThrowsAsync<InvalidOperationException>(() => _client.RunAsync(experimentId, "broken", run =>
        {
            runId = run.RunId;
            run.LogMetric("loss", 9);
            throw new InvalidOperationException("diverged");
        }));

        var stored = await _client.Runs.GetAsync(runId!);
        Assert.Equal(RunStatus.Failed, stored.Info.Status);
        Assert.Equal(9, Assert.Single(stored.Data.Metrics).Value);
    }

    [Fact]
    public async Task RunScope_CancellationStoredAsKilled()
    {
        var experimentId = await _client.Experiments.GetOrCreateAsync($"killed-{Guid.NewGuid():N}");
        using var cancellation = new CancellationTokenSource();
        string? runId = null;
        var before = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(async () =>
        {
            await using var run = await _client.StartRunAsync(experimentId, "interrupted");
            runId = run.RunId;
            try
            {
                run.LogMetric("loss", 0.5);
                await cancellation.CancelAsync();
                await Task.Delay(Timeout.Infinite, cancellation.Token);
            }
            catch (Exception ex)
            {
                run.MarkFailed(ex);
                throw;
            }
        });

        var stored = await _client.Runs.GetAsync(runId!);
        Assert.Equal(RunStatus.Killed, stored.Info.Status);
        Assert.NotNull(stored.Info.EndTime);
        Assert.InRange(stored.Info.EndTime!.Value, before, before + 60_000);
        Assert.Equal(0.5, Assert.Single(stored.Data.Metrics).Value);
    }

    [Fact]
    public async Task SearchRuns_FindsRunByParam()
    {
        var experimentId = await _client.Experiments.GetOrCreateAsync($"search-{Guid.NewGuid():N}");
        await _client.RunAsync(experimentId, "a", run => run.LogParamAsync("model", "ffm"));
        await _client.RunAsync(experimentId, "b", run => run.LogParamAsync("model", "lr"));

        var page = await _client.Runs.SearchAsync([experimentId], "params.model = 'ffm'");

        Assert.Equal("a", Assert.Single(page.Runs).Info.RunName);
    }

    [Fact]
    public async Task InvalidParamChange_IsRejected()
    {
        var experimentId = await _client.Experiments.GetOrCreateAsync($"params-{Guid.NewGuid():N}");
        await using var run = await _client.StartRunAsync(experimentId);
        await run.LogParamAsync("lr", "0.1");

        var error = await Assert.ThrowsAsync<MlflowException>(() => run.LogParamAsync("lr", "0.2"));

        Assert.Equal(MlflowErrorCodes.InvalidParameterValue, error.ErrorCode);
    }

    [Fact]
    public async Task Artifacts_RoundTripThroughProxy()
    {
        var experimentId = await _client.Experiments.GetOrCreateAsync($"artifacts-{Guid.NewGuid():N}");
        var source = Path.Combine(_folder, "source");
        Directory.CreateDirectory(Path.Combine(source, "meta"));
        await File.WriteAllTextAsync(Path.Combine(source, "model.bin"), "weights");
        await File.WriteAllTextAsync(Path.Combine(source, "meta", "info.json"), "{\"v\":1}");
        string artifactUri;

        await using (var run = await _client.StartRunAsync(experimentId))
        {
            artifactUri = run.ArtifactUri;
            await run.LogArtifactsAsync(source, "model");
            await using var stream = new MemoryStream(Encoding.UTF8.GetBytes("auc=0.8"));
            await run.LogArtifactAsync(stream, "reports/summary.txt");
        }

        var root = await _client.Artifacts.ListAsync(artifactUri);
        var target = Path.Combine(_folder, "target");
        await _client.Artifacts.DownloadDirectoryAsync(artifactUri, "model", target);
        var summary = Path.Combine(_folder, "summary.txt");
        await _client.Artifacts.DownloadFileAsync(artifactUri, "reports/summary.txt", summary);

        Assert.Equal(["model", "reports"], root.Select(f => f.Path).Order());
        Assert.All(root, f => Assert.True(f.IsDir));
        Assert.Equal("weights", await File.ReadAllTextAsync(Path.Combine(target, "model.bin")));
        Assert.Equal("{\"v\":1}", await File.ReadAllTextAsync(Path.Combine(target, "meta", "info.json")));
        Assert.Equal("auc=0.8", await File.ReadAllTextAsync(summary));
    }

    [Fact]
    public async Task Registry_AliasMoveResolvesNewVersion()
    {
        var experimentId = await _client.Experiments.GetOrCreateAsync($"registry-{Guid.NewGuid():N}");
        var name = $"ctr-{Guid.NewGuid():N}";
        var runIds = new List<string>();
        for (var version = 1; version <= 2; version++)
        {
            await using var run = await _client.StartRunAsync(experimentId);
            await using var weights = new MemoryStream(Encoding.UTF8.GetBytes($"weights-{version}"));
            await run.LogArtifactAsync(weights, "model/model.bin");
            runIds.Add(run.RunId);
        }

        await _client.Registry.CreateRegisteredModelAsync(name);
        var first = await _client.Registry.CreateModelVersionFromRunAsync(name, runIds[0], "model", useRunsUri: true);
        var second = await _client.Registry.CreateModelVersionFromRunAsync(name, runIds[1], "model");
        await _client.Registry.SetAliasAsync(name, "champion", first.Version);
        var before = await _client.Models.DownloadAsync($"models:/{name}@champion");
        await _client.Registry.SetAliasAsync(name, "champion", second.Version);
        var after = await _client.Models.DownloadAsync($"models:/{name}@champion");

        Assert.Equal("weights-1", await File.ReadAllTextAsync(Path.Combine(before.LocalPath, "model.bin")));
        Assert.Equal("weights-2", await File.ReadAllTextAsync(Path.Combine(after.LocalPath, "model.bin")));
        await _client.Registry.DeleteAliasAsync(name, "champion");
        var missing = await Assert.ThrowsAsync<MlflowException>(() => _client.Models.DownloadAsync($"models:/{name}@champion"));
        Assert.True(missing.IsResourceDoesNotExist);
    }
}
