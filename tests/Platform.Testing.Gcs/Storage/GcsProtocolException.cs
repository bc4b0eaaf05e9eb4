namespace Platform.Testing.Gcs;

/// <summary>
/// An error the test server returns as a Google JSON error body with <see cref="StatusCode"/> and
/// <see cref="Reason"/> (for example 404 <c>notFound</c>), as the real JSON API does.
/// </summary>
public sealed class GcsProtocolException : Exception
{
    /// <summary>Creates an error with an HTTP status, a Google error reason and a message.</summary>
    public GcsProtocolException(int statusCode, string reason, string message)
        : base(message)
    {
        StatusCode = statusCode;
        Reason = reason;
    }

    /// <summary>HTTP status code.</summary>
    public int StatusCode { get; }

    /// <summary>Google error reason, such as <c>notFound</c>, <c>invalid</c> or <c>conditionNotMet</c>.</summary>
    public string Reason { get; }

    /// <summary>Creates a 404 <c>notFound</c> error.</summary>
    public static GcsProtocolException NotFound(string message) => new(404, "notFound", message);

    /// <summary>Creates a 400 <c>invalid</c> error.</summary>
    public static GcsProtocolException Invalid(string message) => new(400, "invalid", message);
}
