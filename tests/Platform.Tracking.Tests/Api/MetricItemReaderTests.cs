using System.Text.Json;
using Platform.Tracking.Api;

namespace Platform.Tracking.Tests.Api;

public sealed class MetricItemReaderTests
{
    [Fact]
    public void Read_AllFields()
    {
        using var document = JsonDocument.Parse(
            """{"key": "auc", "value": "NaN", "timestamp": "17", "step": 3, "model_id": "m-1", "dataset_name": "eval", "dataset_digest": "d1"}""");

        var metric = new MetricItemReader().Read(document.RootElement, 0);

        Assert.Equal("auc", metric.Key);
        Assert.True(double.IsNaN(metric.Value));
        Assert.Equal(17, metric.Timestamp);
        Assert.Equal(3, metric.Step);
        Assert.Equal("m-1", metric.ModelId);
        Assert.Equal("eval", metric.DatasetName);
        Assert.Equal("d1", metric.DatasetDigest);
    }

    [Fact]
    public void Read_RepeatedKey_ReusesString()
    {
        using var document = JsonDocument.Parse(
            """[{"key": "loss", "value": 1, "timestamp": 1}, {"key": "acc", "value": 1, "timestamp": 1}, {"key": "loss", "value": 2, "timestamp": 2}]""");
        var items = document.RootElement.EnumerateArray().ToList();
        var reader = new MetricItemReader();

        var first = reader.Read(items[0], 0);
        reader.Read(items[1], 1);
        var third = reader.Read(items[2], 2);

        Assert.Same(first.Key, third.Key);
        Assert.Equal(0, third.Step);
        Assert.Null(third.ModelId);
    }

    [Fact]
    public void Read_EscapedKey_MatchesCachedKey()
    {
        using var document = JsonDocument.Parse("""[{"key": "a/b", "value": 1, "timestamp": 1}, {"key": "a\/b", "value": 2, "timestamp": 2}]""");
        var items = document.RootElement.EnumerateArray().ToList();
        var reader = new MetricItemReader();

        var first = reader.Read(items[0], 0);
        var second = reader.Read(items[1], 1);

        Assert.Equal("a/b", second.Key);
        Assert.Same(first.Key, second.Key);
    }

    [Theory]
    [InlineData("""{"value": 1, "timestamp": 1}""", "'key'")]
    [InlineData("""{"key": "", "value": 1, "timestamp": 1}""", "'key'")]
    [InlineData("""{"key": "k", "timestamp": 1}""", "'value'")]
    [InlineData("""{"key": "k", "value": 1}""", "'timestamp'")]
    [InlineData("""{"key": "k", "value": "high", "timestamp": 1}""", "'value'")]
    [InlineData("""{"key": "k", "value": 1, "timestamp": 1.5}""", "'timestamp'")]
    [InlineData("""{"key": ["k"], "value": 1, "timestamp": 1}""", "'key'")]
    [InlineData("""{"key": "../k", "value": 1, "timestamp": 1}""", "../k")]
    [InlineData("""{"key": "k", "value": 1, "timestamp": 1, "dataset_digest": "0123456789012345678901234567890123456789"}""", "'dataset_digest'")]
    public void Read_InvalidItem_NamesIndexAndField(string json, string expected)
    {
        using var document = JsonDocument.Parse(json);

        var error = Assert.Throws<TrackingException>(() => new MetricItemReader().Read(document.RootElement, 7));

        Assert.Equal(ErrorCodes.InvalidParameterValue, error.ErrorCode);
        Assert.StartsWith("Invalid metrics[7]: ", error.Message, StringComparison.Ordinal);
        Assert.Contains(expected, error.Message, StringComparison.Ordinal);
    }
}
