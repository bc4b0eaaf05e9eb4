namespace Platform.Tracking.Api;

/// <summary>An expected failure that the API returns to the client as MLflow's <c>{"error_code", "message"}</c> body.</summary>
public sealed class TrackingException : Exception
{
    public TrackingException(string errorCode, string message)
        : base(message)
    {
        ErrorCode = errorCode;
    }

    public TrackingException()
        : this(ErrorCodes.InternalError, "Unknown tracking error.")
    {
    }

    public TrackingException(string message)
        : this(ErrorCodes.InvalidParameterValue, message)
    {
    }

    public TrackingException(string message, Exception innerException)
        : base(message, innerException)
    {
        ErrorCode = ErrorCodes.InvalidParameterValue;
    }

    /// <summary>MLflow error code, for example <c>INVALID_PARAMETER_VALUE</c>.</summary>
    public string ErrorCode { get; }

    public static TrackingException InvalidParameter(string message) => new(ErrorCodes.InvalidParameterValue, message);

    public static TrackingException NotFound(string message) => new(ErrorCodes.ResourceDoesNotExist, message);

    public static TrackingException AlreadyExists(string message) => new(ErrorCodes.ResourceAlreadyExists, message);
}
