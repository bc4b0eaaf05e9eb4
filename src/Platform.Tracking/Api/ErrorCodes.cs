namespace Platform.Tracking.Api;

/// <summary>MLflow's error codes and the HTTP status the stock server sends for each (mlflow/exceptions.py).</summary>
public static class ErrorCodes
{
    public const string InvalidParameterValue = "INVALID_PARAMETER_VALUE";
    public const string BadRequest = "BAD_REQUEST";
    public const string ResourceAlreadyExists = "RESOURCE_ALREADY_EXISTS";
    public const string ResourceDoesNotExist = "RESOURCE_DOES_NOT_EXIST";
    public const string EndpointNotFound = "ENDPOINT_NOT_FOUND";
    public const string InternalError = "INTERNAL_ERROR";
    public const string TemporarilyUnavailable = "TEMPORARILY_UNAVAILABLE";
    public const string NotImplemented = "NOT_IMPLEMENTED";
    public const string Unauthenticated = "UNAUTHENTICATED";

    /// <summary>Error code for a request whose HTTP method the endpoint does not accept, because MLflow has no code of its own for it.</summary>
    public const string MethodNotAllowed = "METHOD_NOT_ALLOWED";

    /// <summary>Returns the HTTP status for <paramref name="errorCode"/>. Unmapped codes are 500, as in MLflow.</summary>
    public static int ToHttpStatus(string errorCode) => errorCode switch
    {
        InvalidParameterValue or BadRequest or ResourceAlreadyExists => StatusCodes.Status400BadRequest,
        ResourceDoesNotExist or EndpointNotFound => StatusCodes.Status404NotFound,
        MethodNotAllowed => StatusCodes.Status405MethodNotAllowed,
        TemporarilyUnavailable => StatusCodes.Status503ServiceUnavailable,
        NotImplemented => StatusCodes.Status501NotImplemented,
        Unauthenticated => StatusCodes.Status401Unauthorized,
        _ => StatusCodes.Status500InternalServerError,
    };
}
