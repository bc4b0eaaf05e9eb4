using Platform.Tracking.Api;
using Platform.Tracking.Registry.Traces;

namespace Platform.Tracking.Tests.Registry;

public sealed class ProtoTimeTests
{
    [Theory]
    [InlineData("2025-03-01T10:00:00Z", 1740823200000)]
    [InlineData("2025-03-01T10:00:00.250Z", 1740823200250)]
    [InlineData("2025-03-01T10:00:00.250123Z", 1740823200250)]
    [InlineData("2025-03-01T10:00:00.250123456Z", 1740823200250)]
    [InlineData("2025-03-01T11:00:00.250+01:00", 1740823200250)]
    public void ParseTimestamp_AcceptsRfc3339(string text, long expected)
    {
        Assert.Equal(expected, ProtoTime.ParseTimestamp(text, "request_time"));
    }

    [Theory]
    [InlineData("1.5s", 1500)]
    [InlineData("0.000250s", 0)]
    [InlineData("2s", 2000)]
    [InlineData("1.000000001s", 1000)]
    public void ParseDuration_AcceptsSeconds(string text, long expected)
    {
        Assert.Equal(expected, ProtoTime.ParseDuration(text, "execution_duration"));
    }

    [Fact]
    public void Format_RoundTrips()
    {
        Assert.Equal("2025-03-01T10:00:00.250Z", ProtoTime.FormatTimestamp(1740823200250));
        Assert.Equal("1.500s", ProtoTime.FormatDuration(1500));
        Assert.Equal(1740823200250, ProtoTime.ParseTimestamp(ProtoTime.FormatTimestamp(1740823200250), "t"));
    }

    [Theory]
    [InlineData("1.5")]
    [InlineData("s")]
    [InlineData("fast")]
    public void ParseDuration_RejectsOtherText(string text)
    {
        var error = Assert.Throws<TrackingException>(() => ProtoTime.ParseDuration(text, "execution_duration"));

        Assert.Equal("INVALID_PARAMETER_VALUE", error.ErrorCode);
        Assert.Contains(text, error.Message, StringComparison.Ordinal);
    }
}
