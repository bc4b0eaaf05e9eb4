using Platform.Models.Ffm.Data;
using Platform.Models.Ffm.Synthetic;

namespace Platform.Models.Ffm.Tests.Synthetic;

public sealed class CriteoSyntheticGeneratorTests
{
    [Fact]
    public async Task ZipfRowsKeepEachFieldInItsSlice()
    {
        var options = new SyntheticDataOptions { Rows = 2000, Features = 390_000, Distribution = SyntheticIdDistribution.Zipf };

        var problem = await GenerateAsync(options);

        Assert.Equal(2000, problem.RowCount);
        Assert.Equal(39, problem.FieldCount);
        for (var row = 0; row < problem.RowCount; row++)
        {
            var nodes = problem.Row(row);
            Assert.Equal(39, nodes.Length);
            for (var field = 0; field < 39; field++)
            {
                Assert.Equal(field, nodes[field].Field);
                Assert.InRange(nodes[field].Feature, field * 10_000, (field * 10_000) + 9_999);
            }
        }

        // Zipf skew: the top id of field 0 appears in far more than 1 / 10,000 of the rows.
        var topCount = Enumerable.Range(0, problem.RowCount).Count(row => problem.Row(row)[0].Feature == 0);
        Assert.True(topCount > 100, $"feature 0 appeared in {topCount} rows");
    }

    [Fact]
    public async Task UniformRowsSpreadOverAllIds()
    {
        var options = new SyntheticDataOptions { Rows = 500, Features = 262_144, Distribution = SyntheticIdDistribution.Uniform };

        var problem = await GenerateAsync(options);

        Assert.All(problem.Nodes, node => Assert.InRange(node.Feature, 0, 262_143));
        Assert.True(problem.FeatureCount > 200_000, $"largest id + 1 was {problem.FeatureCount}");
        var positives = problem.Labels.Count(label => label > 0);
        Assert.InRange(positives, 50, 300);
    }

    [Fact]
    public async Task SameSeedWritesSameBytes()
    {
        var options = new SyntheticDataOptions { Rows = 300, Features = 10_000, Seed = 7 };
        using var first = new MemoryStream();
        using var second = new MemoryStream();

        await CriteoSyntheticGenerator.WriteAsync(first, options, CancellationToken.None);
        await CriteoSyntheticGenerator.WriteAsync(second, options, CancellationToken.None);

        Assert.Equal(first.ToArray(), second.ToArray());
    }

    [Fact]
    public async Task InvalidOptionsAreRejected()
    {
        var options = new SyntheticDataOptions { Fields = 39, Features = 10 };

        var error = await Assert.ThrowsAsync<ArgumentOutOfRangeException>(
            () => CriteoSyntheticGenerator.WriteAsync(Stream.Null, options, CancellationToken.None));

        Assert.Contains("at least the field count", error.Message, StringComparison.Ordinal);
    }

    private static async Task<FfmProblem> GenerateAsync(SyntheticDataOptions options)
    {
        using var stream = new MemoryStream();
        await CriteoSyntheticGenerator.WriteAsync(stream, options, CancellationToken.None);
        return FfmTextParser.Parse(stream.ToArray(), "synthetic");
    }
}
