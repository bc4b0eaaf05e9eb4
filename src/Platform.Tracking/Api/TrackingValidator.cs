using System.Text.RegularExpressions;

namespace Platform.Tracking.Api;

/// <summary>MLflow's checks on names, ids and value lengths. Each failure is INVALID_PARAMETER_VALUE and quotes the invalid value.</summary>
internal static partial class TrackingValidator
{
    /// <summary>Checks a metric, param or tag key: 1 to 250 characters of letters, digits, <c>_ - . / space</c>, and no path tricks.</summary>
    public static void ValidateKey(string kind, string key)
    {
        if (key.Length == 0)
        {
            throw FieldReader.Missing("key");
        }

        if (key.Length > TrackingLimits.MaxEntityKeyLength)
        {
            throw TrackingException.InvalidParameter(
                $"{kind} name '{Shorten(key)}' had length {key.Length}, which exceeded length limit of {TrackingLimits.MaxEntityKeyLength}.");
        }

        if (!KeyPattern().IsMatch(key))
        {
            throw TrackingException.InvalidParameter(
                $"Invalid {kind.ToLowerInvariant()} name: '{key}'. Names may only contain alphanumerics, underscores (_), dashes (-), periods (.), spaces ( ), colons (:) and slashes (/).");
        }

        // MLflow rejects names that a POSIX path normalisation would change, such as "a//b", "./a" or "a/..".
        var segments = key.Split('/');
        if (segments.Any(segment => segment.Length == 0 || segment == "." || segment == ".."))
        {
            throw TrackingException.InvalidParameter(
                $"Invalid {kind.ToLowerInvariant()} name: '{key}'. Names may be treated as files in certain cases, and must not resolve to other names when treated as such.");
        }
    }

    public static void ValidateParamValue(string key, string value)
    {
        if (value.Length > TrackingLimits.MaxParamValueLength)
        {
            throw TrackingException.InvalidParameter(
                $"Param value '{Shorten(value)}' for key '{key}' had length {value.Length}, which exceeded length limit of {TrackingLimits.MaxParamValueLength}.");
        }
    }

    public static void ValidateTagValue(string key, string value)
    {
        if (value.Length > TrackingLimits.MaxTagValueLength)
        {
            throw TrackingException.InvalidParameter(
                $"Tag value '{Shorten(value)}' for key '{key}' had length {value.Length}, which exceeded length limit of {TrackingLimits.MaxTagValueLength}.");
        }
    }

    public static void ValidateExperimentName(string name)
    {
        if (string.IsNullOrWhiteSpace(name))
        {
            throw TrackingException.InvalidParameter("Invalid experiment name: ''. The name must be a non-empty string.");
        }

        if (name.Length > TrackingLimits.MaxExperimentNameLength)
        {
            throw TrackingException.InvalidParameter(
                $"Experiment name '{Shorten(name)}' had length {name.Length}, which exceeded length limit of {TrackingLimits.MaxExperimentNameLength}.");
        }
    }

    public static void ValidateExperimentTag(string key, string value)
    {
        ValidateKey("Tag", key);
        if (value.Length > TrackingLimits.MaxExperimentTagValueLength)
        {
            throw TrackingException.InvalidParameter(
                $"Experiment tag value '{Shorten(value)}' for key '{key}' had length {value.Length}, which exceeded length limit of {TrackingLimits.MaxExperimentTagValueLength}.");
        }
    }

    public static void ValidateRunId(string runId)
    {
        if (!RunIdPattern().IsMatch(runId))
        {
            throw TrackingException.InvalidParameter(
                $"Invalid run ID: '{Shorten(runId)}'. A run ID starts with a letter or digit, followed by up to 255 letters, digits, underscores or dashes.");
        }
    }

    public static void ValidateExperimentId(string experimentId)
    {
        if (!ExperimentIdPattern().IsMatch(experimentId))
        {
            throw TrackingException.InvalidParameter(
                $"Invalid experiment ID: '{Shorten(experimentId)}'. An experiment ID starts with a letter or digit, followed by up to 63 letters, digits, underscores or dashes.");
        }
    }

    public static void ValidateLength(string what, string value, int limit)
    {
        if (value.Length > limit)
        {
            throw TrackingException.InvalidParameter(
                $"{what} '{Shorten(value)}' had length {value.Length}, which exceeded length limit of {limit}.");
        }
    }

    private static string Shorten(string value) => value.Length <= 60 ? value : value[..60] + "...";

    [GeneratedRegex(@"^[\w\-. /:]+$")]
    private static partial Regex KeyPattern();

    [GeneratedRegex(@"^[a-zA-Z0-9][\w\-]{0,255}$")]
    private static partial Regex RunIdPattern();

    [GeneratedRegex(@"^[a-zA-Z0-9][\w\-]{0,63}$")]
    private static partial Regex ExperimentIdPattern();
}
