using System.Text;
using Platform.Models.Ffm.Data;
using Platform.Testing;

namespace Platform.Models.Ffm.Tests.Data;

public sealed class ImportanceWeightsTests
{
    [Fact]
    public async Task SampleWeightsFileHasOneWeightPerRow()
    {
        var weights = await ImportanceWeights.ReadFileAsync(RepositoryPaths.Sample("small_train.iw.txt"), 200, CancellationToken.None);

        Assert.Equal(200, weights.Length);
        Assert.All(weights, weight => Assert.True(weight >= 0));
    }

    [Fact]
    public void RowCountMismatchIsRejected()
    {
        var error = Assert.Throws<FfmFormatException>(() => ImportanceWeights.Parse("1\n0.5\n2\n"u8, "w.txt", 4));

        Assert.Contains("3 weights but the data has 4 rows", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("abc", "invalid importance weight 'abc'")]
    [InlineData("-1", "must be finite and non-negative")]
    [InlineData("NaN", "must be finite and non-negative")]
    [InlineData("Infinity", "must be finite and non-negative")]
    public void InvalidWeightIsRejected(string value, string reason)
    {
        var text = Encoding.UTF8.GetBytes($"1\n{value}\n");

        var error = Assert.Throws<FfmFormatException>(() => ImportanceWeights.Parse(text, "w.txt", 2));

        Assert.Equal(2, error.LineNumber);
        Assert.Equal(value, error.Token);
        Assert.Contains(reason, error.Message, StringComparison.Ordinal);
    }
}
