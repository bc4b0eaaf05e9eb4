using Platform.Models.Ffm.Data;
using Platform.Models.Ffm.Kernels;
using Platform.Models.Ffm.Model;
using Platform.Models.Ffm.Training;
using Platform.Testing;

namespace Platform.Models.Ffm.Tests.Kernels;

/// <summary>
/// The scalar, 256-bit and 512-bit paths run on every machine (vector paths fall back to software
/// emulation where the instructions are missing), so each test compares all three.
/// </summary>
public sealed class SimdEquivalenceTests
{
    private static readonly FfmSimdPath[] VectorPaths = [FfmSimdPath.Vector256, FfmSimdPath.Vector512];

    [Theory]
    [InlineData(1)]
    [InlineData(4)]
    [InlineData(5)]
    [InlineData(8)]
    [InlineData(13)]
    public void ScoresAgreeAcrossPaths(int k)
    {
        var random = new System.Random(k);
        using var model = FfmModel.CreateInitialized(200, 7, k, normalization: true, seed: (uint)k);

        // Row lengths 0 to 12 give pair counts with every remainder modulo 2 and 4.
        for (var length = 0; length <= 12; length++)
        {
            var row = RandomRow(random, length, features: 220, fields: 7);
            var scalar = model.PredictScore(row, FfmSimdPath.Scalar);
            foreach (var path in VectorPaths)
            {
                var vector = model.PredictScore(row, path);
                Assert.True(
                    Math.Abs(vector - scalar) <= 1e-5f * Math.Max(1f, Math.Abs(scalar)),
                    $"k = {k}, {length} non-zeros: {path} gave {vector}, scalar gave {scalar}");
            }
        }
    }

    [Theory]
    [InlineData(4)]
    [InlineData(11)]
    public unsafe void UpdatesAreIdenticalAcrossPaths(int k)
    {
        var random = new System.Random(k);
        var rows = Enumerable.Range(0, 50).Select(i => RandomRow(random, 3 + (i % 9), features: 40, fields: 5)).ToArray();
        var results = new List<float[]>();
        foreach (var path in new[] { FfmSimdPath.Scalar, FfmSimdPath.Vector256, FfmSimdPath.Vector512 })
        {
            using var model = FfmModel.CreateInitialized(40, 5, k, normalization: true);
            var pairs = new PairEntry[200];
            foreach (var row in rows)
            {
                var count = FfmKernels.BuildPairs(model, row, 0.1f, pairs);
                FfmKernels.Update(model.Weights, pairs.AsSpan(0, count), model.Chunks, kappa: -0.3f, eta: 0.2f, lambda: 0.00002f, path);
            }

            results.Add(model.Parameters.ToArray());
        }

        Assert.Equal(results[0], results[1]);
        Assert.Equal(results[0], results[2]);
    }

    [Fact]
    public async Task TrainingAgreesAcrossPaths()
    {
        var train = await FfmTextParser.ParseFileAsync(RepositoryPaths.Sample("small_train.txt"), null, CancellationToken.None);
        var validation = await FfmTextParser.ParseFileAsync(RepositoryPaths.Sample("small_test.txt"), null, CancellationToken.None);
        var losses = new Dictionary<FfmSimdPath, double>();
        foreach (var path in new[] { FfmSimdPath.Scalar, FfmSimdPath.Vector256, FfmSimdPath.Vector512 })
        {
            var options = new FfmTrainingOptions { Epochs = 5, SimdPath = path };
            var result = await new FfmTrainer(options).TrainAsync(new FfmTrainingData(train, validation), null, CancellationToken.None);
            using var model = result.Model;
            losses[path] = result.Run.History[^1].Get(FfmMetricNames.ValidationLogloss);
        }

        Assert.Equal(losses[FfmSimdPath.Scalar], losses[FfmSimdPath.Vector256], 1e-6);
        Assert.Equal(losses[FfmSimdPath.Scalar], losses[FfmSimdPath.Vector512], 1e-6);
    }

    private static FfmNode[] RandomRow(System.Random random, int length, int features, int fields) =>
        [.. Enumerable.Range(0, length).Select(_ => new FfmNode(random.Next(fields), random.Next(features), (float)(0.1 + random.NextDouble())))];
}
