using System.Net;
using System.Text.Json;

namespace Platform.Tracking.Tests.Infrastructure;

/// <summary>The status and parsed JSON body of one API call.</summary>
public sealed record ApiResponse(HttpStatusCode Status, JsonElement Json, string Body)
{
    public string ErrorCode => Json.GetProperty("error_code").GetString()!;

    public string Message => Json.GetProperty("message").GetString()!;

    /// <summary>Fails with the body in the message unless the call returned 200.</summary>
    public ApiResponse EnsureOk()
    {
        Assert.True(Status == HttpStatusCode.OK, $"expected 200 but got {(int)Status}: {Body}");
        return this;
    }

    /// <summary>Checks an MLflow error response: its HTTP status and its error_code.</summary>
    public void AssertError(HttpStatusCode status, string errorCode)
    {
        Assert.True(Status == status, $"expected {(int)status} but got {(int)Status}: {Body}");
        Assert.Equal(errorCode, ErrorCode);
        Assert.False(string.IsNullOrWhiteSpace(Message));
    }
}
