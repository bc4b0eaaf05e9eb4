using Platform.Models.Ffm.Random;

namespace Platform.Models.Ffm.Tests.Random;

public sealed class LibffmRandomTests
{
    [Fact]
    public void GlibcRandMatchesKnownSequence()
    {
        // rand() without srand on glibc.
        var random = new GlibcRandom();

        Assert.Equal(1804289383, random.Next());
        Assert.Equal(846930886, random.Next());
        Assert.Equal(1681692777, random.Next());
        Assert.Equal(1714636915, random.Next());
        Assert.Equal(1957747793, random.Next());
    }

    [Fact]
    public void RandomShuffleFollowsLibstdcxx()
    {
        // i = 1: 1804289383 % 2 = 1, no swap; i = 2: 846930886 % 3 = 1, swap items 2 and 1.
        int[] items = [0, 1, 2];

        new GlibcRandom().RandomShuffle(items);

        Assert.Equal([0, 2, 1], items);
    }

    [Fact]
    public void MinStdRand0MatchesStandard()
    {
        var random = new MinStdRand0();

        Assert.Equal(16807u, random.Next());
        Assert.Equal(282475249u, random.Next());
    }

    [Fact]
    public void UniformFloatUsesOneDrawPerValue()
    {
        var random = new MinStdRand0();

        Assert.Equal(16806f / 2147483648f, random.NextUniformFloat());
        Assert.Equal((float)(282475249u - 1) / 2147483648f, random.NextUniformFloat());
    }
}
