using Platform.Models.Ffm.Data;
using Platform.Models.Ffm.Model;
using Platform.Models.Ffm.Prediction;
using Platform.Testing;

namespace Platform.Models.Ffm.Tests.Prediction;

public sealed class FfmBatchPredictorTests
{
    [Fact]
    public async Task BatchMatchesRowPredictions()
    {
        var problem = await FfmTextParser.ParseFileAsync(RepositoryPaths.Sample("frappe.test.ffm"), null, CancellationToken.None);
        using var model = FfmModel.CreateInitialized(problem.FeatureCount - 100, problem.FieldCount, 4, normalization: true);
        model.NdsRate = 0.5f;
        var probabilities = new float[problem.RowCount];

        FfmBatchPredictor.Predict(model, problem, probabilities, threads: 2);

        for (var i = 0; i < problem.RowCount; i += 97)
        {
            Assert.Equal(model.Predict(problem.Row(i)), probabilities[i], 6);
        }
    }

    [Fact]
    public void DataWithMoreFieldsIsRejected()
    {
        var problem = FfmTextParser.Parse("1 0:1:1 4:2:1\n", "wide");
        using var model = FfmModel.CreateEmpty(5, 2, 4, normalization: true);

        var error = Assert.Throws<FfmModelMismatchException>(() => FfmBatchPredictor.Predict(model, problem, new float[1]));

        Assert.Contains("field ids up to 4 but the model has m = 2 fields", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void OutputLengthMustMatchRows()
    {
        var problem = FfmTextParser.Parse("1 0:1:1 1:2:1\n0 0:1:1\n", "two");
        using var model = FfmModel.CreateEmpty(5, 2, 4, normalization: true);

        var error = Assert.Throws<ArgumentException>(() => FfmBatchPredictor.Predict(model, problem, new float[3]));

        Assert.Contains("3 slots for 2 rows", error.Message, StringComparison.Ordinal);
    }
}
