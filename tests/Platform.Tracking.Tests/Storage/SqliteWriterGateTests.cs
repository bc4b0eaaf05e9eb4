using Microsoft.Data.Sqlite;
using Platform.Tracking.Api;
using Platform.Tracking.Model;
using Platform.Tracking.Storage.Sql;
using Platform.Tracking.Storage.Sqlite;

namespace Platform.Tracking.Tests.Storage;

public sealed class SqliteWriterGateTests : IAsyncLifetime
{
    private readonly string _folder = Path.Combine(Path.GetTempPath(), "tracking-gate-" + Guid.NewGuid().ToString("N"));
    private SqliteDialect _dialect = null!;
    private SqlTrackingStore _store = null!;

    public async Task InitializeAsync()
    {
        _dialect = new SqliteDialect(Path.Combine(_folder, "gate.db"));
        _store = new SqlTrackingStore(_dialect, TimeProvider.System);
        await _store.MigrateAsync(CancellationToken.None);
    }

    public async Task DisposeAsync()
    {
        await _store.DisposeAsync();
        SqliteConnection.ClearAllPools();
        Directory.Delete(_folder, recursive: true);
    }

    [Fact]
    public async Task ConcurrentWriters_CommitEveryPoint()
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        var runs = await Task.WhenAll(Enumerable.Range(0, 20).Select(i =>
            _store.CreateRunAsync(new NewRun("0", "alice", "r" + i, 1, []), timeout.Token)));

        await Task.WhenAll(runs.Select(run => Task.Run(async () =>
        {
            for (var batch = 0; batch < 5; batch++)
            {
                var metrics = Enumerable.Range(0, 200)
                    .SelectMany(key => new[] { new Metric("m" + key, batch, batch, batch * 2), new Metric("m" + key, batch + 0.5, batch, (batch * 2) + 1) })
                    .ToList();
                await _store.LogBatchAsync(run.Info.RunId, metrics, [new KeyValue("p" + batch, "v")], [], timeout.Token);
            }
        })));

        foreach (var run in runs)
        {
            var loaded = await _store.GetRunAsync(run.Info.RunId, timeout.Token);
            Assert.Equal(200, loaded.Metrics.Count);
            Assert.All(loaded.Metrics, metric => Assert.Equal(9, metric.Step));
            Assert.Equal(5, loaded.Params.Count);
            var history = await _store.GetMetricHistoryAsync(run.Info.RunId, "m7", 100, null, timeout.Token);
            Assert.Equal(10, history.Items.Count);
        }
    }

    [Fact]
    public async Task FailedWrite_ReleasesGate()
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        var run = await _store.CreateRunAsync(new NewRun("0", "alice", "r", 1, []), timeout.Token);
        await _store.LogBatchAsync(run.Info.RunId, [], [new KeyValue("lr", "0.1")], [], timeout.Token);

        // A changed param value fails inside the write transaction, which must still release the gate.
        await Assert.ThrowsAsync<TrackingException>(() =>
            _store.LogBatchAsync(run.Info.RunId, [new Metric("loss", 1, 1, 1)], [new KeyValue("lr", "0.2")], [], timeout.Token));
        await _store.LogBatchAsync(run.Info.RunId, [new Metric("loss", 2, 2, 2)], [], [], timeout.Token);

        var loaded = await _store.GetRunAsync(run.Info.RunId, timeout.Token);
        Assert.Equal(2, Assert.Single(loaded.Metrics).Value);
    }

    [Fact]
    public async Task GateWait_IsCancellable()
    {
        var run = await _store.CreateRunAsync(new NewRun("0", "alice", "r", 1, []), CancellationToken.None);
        await using (var connection = await _dialect.OpenConnectionAsync(CancellationToken.None))
        await using (await _dialect.BeginWriteTransactionAsync(connection, CancellationToken.None))
        {
            using var cancel = new CancellationTokenSource(TimeSpan.FromMilliseconds(200));
            await Assert.ThrowsAnyAsync<OperationCanceledException>(() =>
                _store.LogBatchAsync(run.Info.RunId, [new Metric("loss", 1, 1, 1)], [], [], cancel.Token));
        }

        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        await _store.LogBatchAsync(run.Info.RunId, [new Metric("loss", 3, 3, 3)], [], [], timeout.Token);
        Assert.Equal(3, Assert.Single((await _store.GetRunAsync(run.Info.RunId, timeout.Token)).Metrics).Value);
    }
}
