using Microsoft.AspNetCore.Http;

namespace Platform.Artifacts;

/// <summary>
/// A request error that the artifact endpoints return as an MLflow JSON error body
/// (<c>{"error_code": ..., "message": ...}</c>) with <see cref="StatusCode"/>.
/// </summary>
public sealed class ArtifactException : Exception
{
    /// <summary>MLflow error code for a malformed or unsafe request value.</summary>
    public const string InvalidParameterValue = "INVALID_PARAMETER_VALUE";

    /// <summary>MLflow error code for a missing artifact.</summary>
    public const string ResourceDoesNotExist = "RESOURCE_DOES_NOT_EXIST";

    /// <summary>MLflow error code for an operation this server does not offer.</summary>
    public const string NotImplemented = "NOT_IMPLEMENTED";

    /// <summary>Creates an error with an MLflow error code, an HTTP status and a message for the caller.</summary>
    public ArtifactException(string errorCode, int statusCode, string message, Exception? innerException = null)
        : base(message, innerException)
    {
        ArgumentException.ThrowIfNullOrEmpty(errorCode);
        ErrorCode = errorCode;
        StatusCode = statusCode;
    }

    /// <summary>MLflow error code, for example <c>INVALID_PARAMETER_VALUE</c>.</summary>
    public string ErrorCode { get; }

    /// <summary>HTTP status code that MLflow maps <see cref="ErrorCode"/> to.</summary>
    public int StatusCode { get; }

    /// <summary>Object size in bytes, set only for an unsatisfiable byte range (status 416).</summary>
    public long? ResourceLength { get; init; }

    /// <summary>Creates an INVALID_PARAMETER_VALUE error (HTTP 400).</summary>
    public static ArtifactException InvalidParameter(string message) =>
        new(InvalidParameterValue, StatusCodes.Status400BadRequest, message);

    /// <summary>Creates a RESOURCE_DOES_NOT_EXIST error (HTTP 404).</summary>
    public static ArtifactException NotFound(string message, Exception? innerException = null) =>
        new(ResourceDoesNotExist, StatusCodes.Status404NotFound, message, innerException);

    /// <summary>Creates an error for a byte range that starts past the end of the artifact (HTTP 416).</summary>
    public static ArtifactException RangeNotSatisfiable(ByteRange range, long resourceLength) =>
        new(InvalidParameterValue, StatusCodes.Status416RangeNotSatisfiable,
            $"Byte range '{range}' is outside the artifact, which has {resourceLength} bytes. " +
            "Request a range that starts before the end of the artifact.")
        {
            ResourceLength = resourceLength,
        };
}
