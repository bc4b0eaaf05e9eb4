using Microsoft.Extensions.Time.Testing;
using Platform.Operator.Controller;

namespace Platform.Operator.Tests.Controller;

public sealed class WorkQueueTests
{
    private static readonly TimeSpan ShortWait = TimeSpan.FromMilliseconds(200);

    [Fact]
    public async Task Add_SameKeyTwice_QueuesOnce()
    {
        using var queue = new WorkQueue(new FakeTimeProvider(), new ExponentialBackoff());

        queue.Add("default/alice");
        queue.Add("default/alice");
        queue.Add("default/bob");

        Assert.Equal(2, queue.Count);
        Assert.Equal("default/alice", await queue.GetAsync(CancellationToken.None));
        Assert.Equal("default/bob", await queue.GetAsync(CancellationToken.None));
        Assert.Equal(0, queue.Count);
    }

    [Fact]
    public async Task AddWhileHeld_RequeuesAfterDone()
    {
        using var queue = new WorkQueue(new FakeTimeProvider(), new ExponentialBackoff());
        queue.Add("default/alice");
        var heldKey = await queue.GetAsync(CancellationToken.None);

        queue.Add("default/alice");
        queue.Add("default/alice");

        Assert.Equal(0, queue.Count);
        using var timeout = new CancellationTokenSource(ShortWait);
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => queue.GetAsync(timeout.Token));

        queue.Done(heldKey!);
        Assert.Equal(1, queue.Count);
        Assert.Equal("default/alice", await queue.GetAsync(CancellationToken.None));
    }

    [Fact]
    public async Task AddAfter_WaitsForClock()
    {
        var time = new FakeTimeProvider();
        using var queue = new WorkQueue(time, new ExponentialBackoff());

        queue.AddAfter("default/alice", TimeSpan.FromSeconds(30));
        time.Advance(TimeSpan.FromSeconds(29));
        Assert.Equal(0, queue.Count);

        time.Advance(TimeSpan.FromSeconds(1));
        Assert.Equal(1, queue.Count);
        Assert.Equal("default/alice", await queue.GetAsync(CancellationToken.None));
    }

    [Fact]
    public void AddRateLimited_DoublesPerKey()
    {
        var time = new FakeTimeProvider();
        using var queue = new WorkQueue(time, new ExponentialBackoff());

        Assert.Equal(TimeSpan.FromMilliseconds(5), queue.AddRateLimited("default/alice"));
        Assert.Equal(TimeSpan.FromMilliseconds(10), queue.AddRateLimited("default/alice"));
        Assert.Equal(TimeSpan.FromMilliseconds(20), queue.AddRateLimited("default/alice"));
        Assert.Equal(TimeSpan.FromMilliseconds(5), queue.AddRateLimited("default/bob"));

        queue.Forget("default/alice");
        Assert.Equal(TimeSpan.FromMilliseconds(5), queue.AddRateLimited("default/alice"));

        time.Advance(TimeSpan.FromMilliseconds(5));
        Assert.Equal(2, queue.Count);
    }

    [Fact]
    public async Task ShutDown_ReleasesWaitingWorkers()
    {
        using var queue = new WorkQueue(new FakeTimeProvider(), new ExponentialBackoff());
        var waiting = queue.GetAsync(CancellationToken.None);

        queue.ShutDown();
        queue.Add("default/alice");

        Assert.Null(await waiting.WaitAsync(TimeSpan.FromSeconds(5)));
        Assert.Null(await queue.GetAsync(CancellationToken.None));
    }

    [Fact]
    public async Task ConcurrentWorkers_NeverHoldSameKey()
    {
        using var queue = new WorkQueue(TimeProvider.System, new ExponentialBackoff());
        var holders = new System.Collections.Concurrent.ConcurrentDictionary<string, int>();
        var overlaps = 0;
        var processed = 0;

        async Task WorkAsync()
        {
            while (await queue.GetAsync(CancellationToken.None) is { } key)
            {
                if (holders.AddOrUpdate(key, 1, (_, n) => n + 1) > 1)
                {
                    Interlocked.Increment(ref overlaps);
                }

                await Task.Delay(1);
                holders.AddOrUpdate(key, 0, (_, n) => n - 1);
                Interlocked.Increment(ref processed);
                queue.Done(key);
            }
        }

        var workers = Enumerable.Range(0, 4).Select(_ => Task.Run(WorkAsync)).ToArray();
        for (var i = 0; i < 200; i++)
        {
            queue.Add($"default/t{i % 5}");
            await Task.Yield();
        }

        await Eventually(() => queue.Count == 0 && holders.Values.All(n => n == 0));
        queue.ShutDown();
        await Task.WhenAll(workers).WaitAsync(TimeSpan.FromSeconds(5));

        Assert.Equal(0, overlaps);
        Assert.InRange(processed, 5, 200);
    }

    private static async Task Eventually(Func<bool> condition)
    {
        var deadline = DateTime.UtcNow.AddSeconds(10);
        while (!condition() && DateTime.UtcNow < deadline)
        {
            await Task.Delay(20);
        }
    }
}
