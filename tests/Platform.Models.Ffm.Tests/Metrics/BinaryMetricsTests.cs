using Platform.Models.Ffm.Metrics;

namespace Platform.Models.Ffm.Tests.Metrics;

public sealed class BinaryMetricsTests
{
    [Fact]
    public void AucCountsOrderedPairs()
    {
        var auc = BinaryMetrics.Auc([0.1, 0.4, 0.35, 0.8], [false, false, true, true]);

        Assert.Equal(0.75, auc, 12);
    }

    [Fact]
    public void AucCountsTiesAsHalf()
    {
        // Positive pairs: (0.5 vs 0.5) tie = 0.5, (0.5 vs 0.2) = 1, (0.9 vs both) = 2 → 3.5 of 4.
        var auc = BinaryMetrics.Auc([0.5, 0.5, 0.9, 0.2], [true, false, true, false]);

        Assert.Equal(0.875, auc, 12);
    }

    [Fact]
    public void AucOfConstantScoresIsHalf()
    {
        Assert.Equal(0.5, BinaryMetrics.Auc([0.3, 0.3, 0.3, 0.3, 0.3], [true, false, false, true, false]), 12);
    }

    [Fact]
    public void AucWithOneClassIsUndefined()
    {
        Assert.True(double.IsNaN(BinaryMetrics.Auc([0.1, 0.2], [true, true])));
    }

    [Fact]
    public void LoglossMatchesDefinition()
    {
        var logloss = BinaryMetrics.Logloss([0.9, 0.2], [true, false]);

        Assert.Equal(-(Math.Log(0.9) + Math.Log(0.8)) / 2, logloss, 12);
    }

    [Fact]
    public void MismatchedLengthsAreRejected()
    {
        var error = Assert.Throws<ArgumentException>(() => BinaryMetrics.Auc([0.1, 0.2], [true]));

        Assert.Contains("2 scores but 1 labels", error.Message, StringComparison.Ordinal);
    }
}
