using Platform.Tracking.Storage.Sql;

namespace Platform.Tracking.Tests.Storage;

public sealed class StepSamplingTests
{
    [Fact]
    public void SampleSteps_FewStepsAreKept()
    {
        Assert.Equal([1L, 2L, 3L], SqlTrackingStore.SampleSteps([1, 2, 3], 5));
    }

    [Fact]
    public void SampleSteps_KeepsFirstAndLastEvenlySpaced()
    {
        var steps = Enumerable.Range(0, 101).Select(i => (long)i).ToList();

        var sampled = SqlTrackingStore.SampleSteps(steps, 5);

        Assert.Equal([0L, 25L, 50L, 75L, 100L], sampled);
    }

    [Fact]
    public void SampleSteps_OneResultKeepsFirst()
    {
        Assert.Equal([4L], SqlTrackingStore.SampleSteps([4, 5, 6], 1));
    }
}
