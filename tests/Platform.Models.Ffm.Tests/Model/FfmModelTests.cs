using Platform.Models.Ffm.Data;
using Platform.Models.Ffm.Model;

namespace Platform.Models.Ffm.Tests.Model;

public sealed class FfmModelTests
{
    [Fact]
    public void InitialWeightsFollowLibffm()
    {
        using var model = FfmModel.CreateInitialized(2, 2, 3, normalization: true);

        // k = 3: coefficient (float)(1 / √3); weights drawn in (feature, field, d) order, d = 3 is padding.
        var coefficient = (float)(1.0 / Math.Sqrt(3));
        var first = model.GetLatentVector(0, 0);
        Assert.Equal(coefficient * (16806f / 2147483648f), first[0]);
        Assert.Equal(coefficient * ((282475249f - 1) / 2147483648f), first[1]);
        Assert.Equal(0f, model.Parameters[3]);
        Assert.Equal([1f, 1f, 1f, 1f], model.Parameters.Slice(4, 4).ToArray());
        Assert.All(model.GetLatentVector(1, 1), weight => Assert.InRange(weight, 0f, coefficient));
    }

    [Fact]
    public void LayoutInterleavesChunksOfFour()
    {
        using var model = FfmModel.CreateEmpty(1, 1, 6, normalization: false);

        model.SetLatentVector(0, 0, [1, 2, 3, 4, 5, 6]);

        Assert.Equal(8, model.AlignedLatentDimension);
        Assert.Equal(16, model.ParameterCount);
        Assert.Equal([1f, 2f, 3f, 4f, 1f, 1f, 1f, 1f, 5f, 6f, 0f, 0f, 1f, 1f, 1f, 1f], model.Parameters.ToArray());
        Assert.Equal([1f, 2f, 3f, 4f, 5f, 6f], model.GetLatentVector(0, 0));
    }

    [Theory]
    [InlineData(0)]
    [InlineData(-3)]
    public void NonPositiveLatentDimensionIsRejected(int k)
    {
        var error = Assert.Throws<ArgumentOutOfRangeException>(() => FfmModel.CreateEmpty(10, 2, k, true));

        Assert.Contains("latent dimension k must be at least 1", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void ScoreIsTheSumOfFieldAwareProducts()
    {
        using var model = HandModel(normalization: false);
        FfmNode[] row = [new(0, 0, 1f), new(1, 1, 2f), new(2, 2, 0.5f)];

        var score = model.PredictScore(row);

        Assert.Equal(ExpectedScore(model, row, 1.0), score, 5);
    }

    [Fact]
    public void NormalizationScalesByInverseSquaredNorm()
    {
        using var model = HandModel(normalization: true);
        FfmNode[] row = [new(0, 0, 1f), new(1, 1, 2f), new(2, 2, 0.5f)];

        var score = model.PredictScore(row);

        Assert.Equal(ExpectedScore(model, row, 1 / 5.25), score, 5);
        Assert.Equal(1 / (1 + Math.Exp(-score)), model.Predict(row), 6);
    }

    [Fact]
    public void FeatureBeyondModelIsIgnored()
    {
        using var model = HandModel(normalization: false);
        FfmNode[] known = [new(0, 0, 1f), new(1, 1, 1f)];
        FfmNode[] withUnknown = [new(0, 0, 1f), new(2, 99, 1f), new(1, 1, 1f)];

        Assert.Equal(model.PredictScore(known), model.PredictScore(withUnknown));
    }

    [Fact]
    public void FieldBeyondModelIsRejected()
    {
        using var model = HandModel(normalization: false);
        FfmNode[] row = [new(0, 0, 1f), new(7, 1, 1f)];

        var error = Assert.Throws<FfmModelMismatchException>(() => model.PredictScore(row));

        Assert.Contains("field 7 but the model has m = 3 fields", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void NdsRateCalibratesPredictions()
    {
        using var model = HandModel(normalization: false);
        FfmNode[] row = [new(0, 0, 1f), new(1, 1, 2f)];
        var plain = model.Predict(row);

        model.NdsRate = 0.25f;

        Assert.Equal(plain / (plain + ((1 - plain) / 0.25)), model.Predict(row), 6);
    }

    [Theory]
    [InlineData(0f)]
    [InlineData(-1f)]
    [InlineData(float.NaN)]
    public void InvalidNdsRateIsRejected(float rate)
    {
        using var model = HandModel(normalization: false);

        Assert.Throws<ArgumentOutOfRangeException>(() => model.NdsRate = rate);
    }

    /// <summary>A 3-feature, 3-field, k = 2 model with distinct weights per (feature, field).</summary>
    internal static FfmModel HandModel(bool normalization)
    {
        var model = FfmModel.CreateEmpty(3, 3, 2, normalization);
        for (var j = 0; j < 3; j++)
        {
            for (var f = 0; f < 3; f++)
            {
                model.SetLatentVector(j, f, [0.1f * (j + 1) + 0.01f * f, -0.05f * (f + 1) + 0.2f * j]);
            }
        }

        return model;
    }

    internal static double ExpectedScore(FfmModel model, FfmNode[] row, double scale)
    {
        double score = 0;
        for (var a = 0; a < row.Length; a++)
        {
            for (var b = a + 1; b < row.Length; b++)
            {
                if (row[a].Feature >= model.FeatureCount || row[b].Feature >= model.FeatureCount)
                {
                    continue;
                }

                var left = model.GetLatentVector(row[a].Feature, row[b].Field);
                var right = model.GetLatentVector(row[b].Feature, row[a].Field);
                for (var d = 0; d < left.Length; d++)
                {
                    score += left[d] * right[d] * row[a].Value * row[b].Value * scale;
                }
            }
        }

        return score;
    }
}
