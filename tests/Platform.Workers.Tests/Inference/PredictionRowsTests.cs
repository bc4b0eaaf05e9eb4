using System.Text;
using Platform.Models.Ffm.Data;
using Platform.Workers.Inference.Api;

namespace Platform.Workers.Tests.Inference;

/// <summary>Parsing of text/plain prediction bodies, with and without labels.</summary>
public sealed class PredictionRowsTests
{
    private static readonly FfmNode[] First = [new(0, 1, 1f), new(1, 2, 0.5f)];
    private static readonly FfmNode[] Second = [new(0, 4, 1f), new(2, 6, 2f)];

    [Theory]
    [InlineData("1 0:1:1 1:2:0.5\n0 0:4:1 2:6:2\n")]
    [InlineData("0:1:1 1:2:0.5\n0:4:1 2:6:2")]
    [InlineData("0:1:1 1:2:0.5\n1 0:4:1 2:6:2\n")]
    [InlineData("  0:1:1 1:2:0.5\r\n\t0:4:1\t2:6:2\r\n")]
    [InlineData("\uFEFF0:1:1 1:2:0.5\n0:4:1 2:6:2\n")]
    public void TextRowsParseWithOrWithoutLabels(string body)
    {
        var rows = PredictionRows.FromText(Encoding.UTF8.GetBytes(body));

        Assert.Equal(2, rows.RowCount);
        Assert.Equal(First, rows.Row(0).ToArray());
        Assert.Equal(Second, rows.Row(1).ToArray());
    }

    [Fact]
    public void TextErrorNamesLine()
    {
        var error = Assert.ThrowsAny<FormatException>(() => PredictionRows.FromText("0:1:1\n0:x:1\n"u8.ToArray()));

        Assert.Contains("line 2", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void JsonInstancesBecomeRows()
    {
        var request = new PredictRequest(
        [
            [new FeatureValue(0, 1, 1f), new FeatureValue(1, 2, 0.5f)],
            [],
            [new FeatureValue(0, 4, 1f), new FeatureValue(2, 6, 2f)],
        ]);

        var rows = PredictionRows.FromJson(request);

        Assert.Equal(3, rows.RowCount);
        Assert.Equal(First, rows.Row(0).ToArray());
        Assert.Equal(0, rows.Row(1).Length);
        Assert.Equal(Second, rows.Row(2).ToArray());
        Assert.Equal(3, rows.FieldCount);
        Assert.Equal(7, rows.FeatureCount);
    }
}
