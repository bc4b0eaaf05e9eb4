namespace Platform.Tracking.Api;

/// <summary>Checks the optional MLflow 3 fields that link a metric point to a logged model and a dataset.</summary>
internal static class MetricLinkFields
{
    // An empty string counts as absent, because proto3 JSON writers send unset strings as "".
    public static string? ValidateModelId(string? modelId, string path) =>
        ValidateOptional(modelId, path, TrackingLimits.MaxModelIdLength);

    public static string? ValidateDatasetName(string? name, string path) =>
        ValidateOptional(name, path, TrackingLimits.MaxDatasetNameLength);

    public static string? ValidateDatasetDigest(string? digest, string path) =>
        ValidateOptional(digest, path, TrackingLimits.MaxDatasetDigestLength);

    private static string? ValidateOptional(string? value, string path, int maxLength)
    {
        if (string.IsNullOrEmpty(value))
        {
            return null;
        }

        if (value.Length > maxLength)
        {
            throw TrackingException.InvalidParameter(
                $"Invalid value for parameter '{path}': it has {value.Length} characters, but the limit is {maxLength}.");
        }

        return value;
    }
}
