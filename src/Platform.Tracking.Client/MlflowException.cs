using System.Net;

namespace Platform.Tracking.Client;

/// <summary>
/// Error returned by an MLflow server: the <see cref="ErrorCode"/> from the JSON error body (such as
/// <c>RESOURCE_DOES_NOT_EXIST</c>), or one derived from the HTTP status when the body is not MLflow JSON.
/// </summary>
public sealed class MlflowException : Exception
{
    /// <summary>Creates the exception. <paramref name="serverMessage"/> is the server's own message text.</summary>
    public MlflowException(string errorCode, HttpStatusCode statusCode, string serverMessage, string method, string path)
        : base($"MLflow request {method} {path} failed with HTTP {(int)statusCode} {errorCode}: {serverMessage}")
    {
        ErrorCode = errorCode;
        StatusCode = statusCode;
        ServerMessage = serverMessage;
    }

    /// <summary>MLflow error code, for example <c>INVALID_PARAMETER_VALUE</c>.</summary>
    public string ErrorCode { get; }

    /// <summary>HTTP status of the response.</summary>
    public HttpStatusCode StatusCode { get; }

    /// <summary>The <c>message</c> field of the error body, or the raw body when it was not MLflow JSON.</summary>
    public string ServerMessage { get; }

    /// <summary>Whether the server reported that the entity does not exist.</summary>
    public bool IsResourceDoesNotExist => ErrorCode == MlflowErrorCodes.ResourceDoesNotExist;

    /// <summary>Maps an HTTP status to the code MLflow's Python client reports for a non-JSON error body.</summary>
    internal static string ErrorCodeForStatus(HttpStatusCode statusCode) => (int)statusCode switch
    {
        400 => MlflowErrorCodes.BadRequest,
        401 => "UNAUTHENTICATED",
        403 => "PERMISSION_DENIED",
        404 => MlflowErrorCodes.EndpointNotFound,
        409 => "RESOURCE_CONFLICT",
        429 => "REQUEST_LIMIT_EXCEEDED",
        501 => "NOT_IMPLEMENTED",
        503 => "TEMPORARILY_UNAVAILABLE",
        504 => "DEADLINE_EXCEEDED",
        _ => MlflowErrorCodes.InternalError,
    };
}
