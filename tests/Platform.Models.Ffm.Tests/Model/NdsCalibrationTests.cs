using Platform.Models.Ffm.Model;

namespace Platform.Models.Ffm.Tests.Model;

public sealed class NdsCalibrationTests
{
    [Theory]
    [InlineData(-3.0, 0.1)]
    [InlineData(0.0, 0.5)]
    [InlineData(2.5, 0.02)]
    [InlineData(1.0, 1.0)]
    public void ShiftedLogitEqualsCalibrationFormula(double score, double rate)
    {
        var p = 1 / (1 + Math.Exp(-score));

        Assert.Equal(NdsCalibration.Calibrate(p, rate), NdsCalibration.Probability(score, rate), 12);
    }

    [Fact]
    public void CalibrationLowersProbabilityForDownSampledNegatives()
    {
        // p = 0.5 with one negative in ten kept: 0.5 / (0.5 + 0.5 / 0.1) = 1 / 11.
        Assert.Equal(1.0 / 11, NdsCalibration.Calibrate(0.5, 0.1), 12);
    }

    [Fact]
    public void LossUsesCalibratedProbability()
    {
        var calibrated = NdsCalibration.Probability(0.7, 0.2);

        Assert.Equal(-Math.Log(calibrated), NdsCalibration.LogisticLoss(0.7, 1f, 0.2), 12);
        Assert.Equal(-Math.Log(1 - calibrated), NdsCalibration.LogisticLoss(0.7, -1f, 0.2), 12);
    }
}
