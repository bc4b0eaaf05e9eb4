using System.Text;
using Platform.Models.Ffm.Data;
using Platform.Testing;

namespace Platform.Models.Ffm.Tests.Data;

public sealed class FfmTextParserTests
{
    [Fact]
    public void ParsesLabelsNodesAndScales()
    {
        var problem = FfmTextParser.Parse("1 0:3:1 2:7:0.5\n0 1:4:2\r\n\n-1 0:0:1\n", "inline");

        Assert.Equal(3, problem.RowCount);
        Assert.Equal([1f, -1f, -1f], problem.Labels);
        Assert.Equal(3, problem.FieldCount);
        Assert.Equal(8, problem.FeatureCount);
        Assert.Equal([new FfmNode(0, 3, 1f), new FfmNode(2, 7, 0.5f)], problem.Row(0).ToArray());
        Assert.Equal([new FfmNode(1, 4, 2f)], problem.Row(1).ToArray());
        Assert.Equal((float)(1.0 / 1.25), problem.Scales[0]);
        Assert.Equal(0.25f, problem.Scales[1]);
    }

    [Fact]
    public void TabsAndLabelOnlyRowsAreAccepted()
    {
        var problem = FfmTextParser.Parse("1\t0:1:1\t1:2:1\n0\n", "inline");

        Assert.Equal(2, problem.RowCount);
        Assert.Equal(0, problem.Row(1).Length);
        Assert.Equal(1f, problem.Scales[1]);
    }

    [Fact]
    public async Task ParallelParseMatchesSingleThread()
    {
        var bytes = await File.ReadAllBytesAsync(RepositoryPaths.Sample("frappe.test.ffm"));

        var single = FfmTextParser.Parse(bytes, "frappe", new FfmParseOptions { DegreeOfParallelism = 1 });
        var parallel = FfmTextParser.Parse(bytes, "frappe", new FfmParseOptions { DegreeOfParallelism = 7, MinBytesPerThread = 1000 });

        Assert.Equal(28_860, single.RowCount);
        Assert.Equal(single.Labels, parallel.Labels);
        Assert.Equal(single.Scales, parallel.Scales);
        Assert.Equal(single.RowOffsets, parallel.RowOffsets);
        Assert.Equal(single.Nodes, parallel.Nodes);
        Assert.Equal(single.FieldCount, parallel.FieldCount);
        Assert.Equal(single.FeatureCount, parallel.FeatureCount);
    }

    [Theory]
    [InlineData("1 0:1:1 0:1", "0:1", "expected field:feature:value")]
    [InlineData("1 0:1:1 a:1:1", "a:1:1", "field id 'a' is not a non-negative integer")]
    [InlineData("1 0:b:1", "0:b:1", "feature id 'b' is not a non-negative integer")]
    [InlineData("1 0:1:x", "0:1:x", "the value 'x' is not a number")]
    [InlineData("1 0:1:", "0:1:", "the value is missing")]
    [InlineData("1 :1:1", ":1:1", "the field id is missing")]
    [InlineData("abc 0:1:1", "abc", "invalid label 'abc'")]
    public void MalformedTokenReportsLineAndToken(string badLine, string token, string reason)
    {
        var text = "1 0:1:1\n0 1:2:1\n" + badLine + "\n";

        var error = Assert.Throws<FfmFormatException>(() => FfmTextParser.Parse(text, "bad.txt"));

        Assert.Equal(3, error.LineNumber);
        Assert.Equal(token, error.Token);
        Assert.Contains("bad.txt, line 3", error.Message, StringComparison.Ordinal);
        Assert.Contains(reason, error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("1 -1:2:1", "field id -1 is negative")]
    [InlineData("1 0:-5:1", "feature id -5 is negative")]
    public void NegativeIdIsRejected(string line, string reason)
    {
        var error = Assert.Throws<FfmFormatException>(() => FfmTextParser.Parse(line, "ids.txt"));

        Assert.Equal(1, error.LineNumber);
        Assert.Contains(reason, error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("1 0:2147483647:1", "feature id 2147483647 is out of range")]
    [InlineData("1 99999999999:1:1", "field id 99999999999 is out of range")]
    public void OutOfRangeIdIsRejected(string line, string reason)
    {
        var error = Assert.Throws<FfmFormatException>(() => FfmTextParser.Parse(line, "ids.txt"));

        Assert.Contains(reason, error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("NaN")]
    [InlineData("Infinity")]
    [InlineData("-Infinity")]
    [InlineData("1e50")]
    public void NonFiniteValueIsRejected(string value)
    {
        var error = Assert.Throws<FfmFormatException>(() => FfmTextParser.Parse($"1 0:1:1 1:2:{value}", "values.txt"));

        Assert.Equal($"1:2:{value}", error.Token);
        Assert.Contains("is not a finite float", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("")]
    [InlineData("\n\n  \n")]
    public void EmptyInputIsRejected(string text)
    {
        var error = Assert.Throws<FfmFormatException>(() => FfmTextParser.Parse(text, "empty.txt"));

        Assert.Equal(0, error.LineNumber);
        Assert.Contains("contains no rows", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void ErrorLineIsCountedAcrossSlices()
    {
        var text = new StringBuilder();
        for (var i = 0; i < 5000; i++)
        {
            text.Append("1 0:1:1 1:2:1\n");
        }

        text.Append("\n1 0:1:1 1:oops:1\n");
        var bytes = Encoding.UTF8.GetBytes(text.ToString());

        var error = Assert.Throws<FfmFormatException>(
            () => FfmTextParser.Parse(bytes, "big.txt", new FfmParseOptions { DegreeOfParallelism = 4, MinBytesPerThread = 100 }));

        Assert.Equal(5002, error.LineNumber);
        Assert.Equal("1:oops:1", error.Token);
    }

    [Fact]
    public async Task ParseFileNamesTheFile()
    {
        var path = Path.Combine(Path.GetTempPath(), $"ffm-bad-{Guid.NewGuid():N}.txt");
        await File.WriteAllTextAsync(path, "1 0:1:1\n1 0:1\n");
        try
        {
            var error = await Assert.ThrowsAsync<FfmFormatException>(() => FfmTextParser.ParseFileAsync(path, null, CancellationToken.None));

            Assert.Equal(Path.GetFileName(path), error.Source);
            Assert.Equal(2, error.LineNumber);
        }
        finally
        {
            File.Delete(path);
        }
    }
}
