using System.Globalization;
using System.Text.RegularExpressions;
using Platform.Tracking.Api;

namespace Platform.Tracking.Registry.Api;

/// <summary>MLflow's checks on registry input (mlflow/utils/validation.py); each failure is INVALID_PARAMETER_VALUE naming the value.</summary>
internal static partial class RegistryValidator
{
    public const int MaxTagKeyLength = 250;
    public const int MaxTagValueLength = 5000;
    public const int MaxAliasLength = 255;

    /// <summary>Reads the required <c>version</c> field, which MLflow sends as a string holding an integer; a JSON number is accepted too.</summary>
    public static long GetVersion(RequestMessage message)
    {
        var text = message.GetEnumText("version");
        if (string.IsNullOrEmpty(text))
        {
            throw FieldReader.Missing("version");
        }

        return long.TryParse(text, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var version)
            ? version
            : throw TrackingException.InvalidParameter($"Invalid value '{text}' for parameter 'version': expected an integer such as '1'.");
    }

    public static void ValidateTag(string key, string value)
    {
        TrackingValidator.ValidateKey("Tag", key);
        TrackingValidator.ValidateLength("Tag key", key, MaxTagKeyLength);
        TrackingValidator.ValidateLength($"Tag value for key '{key}'", value, MaxTagValueLength);
    }

    /// <summary>Checks an alias: letters, digits, _ and -, at most 255 characters, and neither 'latest' nor a version-like 'v1'.</summary>
    public static void ValidateAlias(string alias)
    {
        if (alias.Length == 0)
        {
            throw TrackingException.InvalidParameter("Registered model alias name cannot be empty. Send a non-empty 'alias'.");
        }

        if (!AliasPattern().IsMatch(alias))
        {
            throw TrackingException.InvalidParameter(
                $"Invalid alias name: '{alias}'. Names may only contain alphanumerics, underscores (_), and dashes (-).");
        }

        TrackingValidator.ValidateLength("Registered model alias name", alias, MaxAliasLength);
        if (alias.Equals("latest", StringComparison.OrdinalIgnoreCase))
        {
            throw TrackingException.InvalidParameter("'latest' alias name (case insensitive) is reserved. Choose another alias.");
        }

        if (VersionAliasPattern().IsMatch(alias))
        {
            throw TrackingException.InvalidParameter($"Version alias name '{alias}' is reserved. Choose an alias that is not 'v' followed by digits.");
        }
    }

    /// <summary>
    /// Rejects sources the server must not hand out, as the model-versions/create handler of mlflow/server/handlers.py
    /// does: local paths, which would let a client read the server's files, and URIs with '..' segments that climb out
    /// of an artifact folder, also when percent-encoded several times over.
    /// </summary>
    public static void ValidateSource(string source)
    {
        var isUri = Uri.TryCreate(source, UriKind.Absolute, out var uri) && uri.Scheme.Length > 1;
        if (!isUri || uri!.Scheme == Uri.UriSchemeFile)
        {
            throw TrackingException.InvalidParameter(
                $"Invalid model version source: '{source}'. A local path cannot be a model version source on this server. " +
                "Upload the model as run artifacts and register runs:/<run_id>/<path>, or pass an artifact URI such as mlflow-artifacts:/...");
        }

        var path = source[(source.IndexOf(':', StringComparison.Ordinal) + 1)..];
        for (var unescaped = Uri.UnescapeDataString(path); unescaped != path; unescaped = Uri.UnescapeDataString(path))
        {
            path = unescaped;
        }

        if (path.Split('/', '\\').Any(segment => segment == ".."))
        {
            throw TrackingException.InvalidParameter(
                $"Invalid model version source: '{source}'. The source must not contain '..' path segments.");
        }
    }

    [GeneratedRegex(@"^[\w\-]*$")]
    private static partial Regex AliasPattern();

    [GeneratedRegex(@"^[vV]\d+$")]
    private static partial Regex VersionAliasPattern();
}
