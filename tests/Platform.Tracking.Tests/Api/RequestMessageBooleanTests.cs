using System.Text;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Primitives;
using Platform.Tracking.Api;

namespace Platform.Tracking.Tests.Api;

public sealed class RequestMessageBooleanTests
{
    [Theory]
    [InlineData("""{"flag": true}""", true)]
    [InlineData("""{"flag": false}""", false)]
    [InlineData("""{"flag": "true"}""", true)]
    [InlineData("""{"flag": "False"}""", false)]
    [InlineData("""{"flag": null}""", null)]
    [InlineData("""{"flag": ""}""", null)]
    [InlineData("""{}""", null)]
    [InlineData("""  "{\"flag\": true}"  """, true)]
    public void GetBoolean_FromJson(string body, bool? expected)
    {
        var message = RequestMessage.FromJson(Encoding.UTF8.GetBytes(body));

        Assert.Equal(expected, message.GetBoolean("flag"));
    }

    [Theory]
    [InlineData("true", true)]
    [InlineData("FALSE", false)]
    public void GetBoolean_FromQuery(string text, bool expected)
    {
        var message = RequestMessage.FromQuery(new QueryCollection(new Dictionary<string, StringValues> { ["flag"] = text }));

        Assert.Equal(expected, message.GetBoolean("flag"));
    }

    [Fact]
    public void GetBoolean_AbsentFromQuery_IsNull()
    {
        var message = RequestMessage.FromQuery(QueryCollection.Empty);

        Assert.Null(message.GetBoolean("flag"));
    }

    [Theory]
    [InlineData("""{"flag": 1}""", "1")]
    [InlineData("""{"flag": [true]}""", "[true]")]
    [InlineData("""{"flag": "yes"}""", "'yes'")]
    public void GetBoolean_InvalidValue_NamesFieldAndValue(string body, string shownValue)
    {
        var message = RequestMessage.FromJson(Encoding.UTF8.GetBytes(body));

        var error = Assert.Throws<TrackingException>(() => message.GetBoolean("flag"));

        Assert.Equal("INVALID_PARAMETER_VALUE", error.ErrorCode);
        Assert.Contains("'flag'", error.Message, StringComparison.Ordinal);
        Assert.Contains(shownValue, error.Message, StringComparison.Ordinal);
        Assert.Contains("true or false", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void GetBoolean_InvalidQueryValue_Rejected()
    {
        var message = RequestMessage.FromQuery(new QueryCollection(new Dictionary<string, StringValues> { ["flag"] = "1" }));

        var error = Assert.Throws<TrackingException>(() => message.GetBoolean("flag"));

        Assert.Contains("'1'", error.Message, StringComparison.Ordinal);
    }
}
