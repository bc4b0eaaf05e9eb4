using Platform.Operator.Controller;

namespace Platform.Operator.Tests.Controller;

public sealed class ExponentialBackoffTests
{
    [Fact]
    public void NextDelay_DoublesFromFiveMilliseconds()
    {
        var backoff = new ExponentialBackoff();

        var delays = Enumerable.Range(0, 5).Select(_ => backoff.NextDelay("default/alice").TotalMilliseconds).ToArray();

        Assert.Equal([5, 10, 20, 40, 80], delays);
        Assert.Equal(5, backoff.Failures("default/alice"));
    }

    [Fact]
    public void NextDelay_CapsAtThousandSeconds()
    {
        var backoff = new ExponentialBackoff();

        for (var i = 0; i < 200; i++)
        {
            backoff.NextDelay("default/alice");
        }

        Assert.Equal(TimeSpan.FromSeconds(1000), backoff.NextDelay("default/alice"));
    }

    [Fact]
    public void Forget_ResetsOnlyThatKey()
    {
        var backoff = new ExponentialBackoff();
        backoff.NextDelay("default/alice");
        backoff.NextDelay("default/alice");
        backoff.NextDelay("default/bob");

        backoff.Forget("default/alice");

        Assert.Equal(0, backoff.Failures("default/alice"));
        Assert.Equal(1, backoff.Failures("default/bob"));
        Assert.Equal(TimeSpan.FromMilliseconds(5), backoff.NextDelay("default/alice"));
    }
}
