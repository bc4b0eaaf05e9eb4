namespace Platform.Tracking.Client;

/// <summary>MLflow error codes that the client inspects (mlflow/protos/databricks.proto).</summary>
public static class MlflowErrorCodes
{
    public const string ResourceDoesNotExist = "RESOURCE_DOES_NOT_EXIST";
    public const string ResourceAlreadyExists = "RESOURCE_ALREADY_EXISTS";
    public const string InvalidParameterValue = "INVALID_PARAMETER_VALUE";
    public const string BadRequest = "BAD_REQUEST";
    public const string EndpointNotFound = "ENDPOINT_NOT_FOUND";
    public const string InternalError = "INTERNAL_ERROR";

    /// <summary>Client-side code for a success status whose body is not valid MLflow JSON (for example an HTML login page).</summary>
    public const string InvalidResponse = "INVALID_RESPONSE";
}
