using System.Globalization;
using System.Text.Json;

namespace Platform.Tracking.Api;

/// <summary>Reads typed fields from JSON objects with MLflow's proto JSON leniency. The <c>path</c> argument names the field in errors.</summary>
internal static class FieldReader
{
    public static string? GetString(JsonElement obj, string name, string path) =>
        obj.TryGetProperty(name, out var element) ? ReadString(element, path) : null;

    /// <summary>Reads a string value; JSON null is null.</summary>
    public static string? ReadString(JsonElement element, string path)
    {
        if (element.ValueKind == JsonValueKind.Null)
        {
            return null;
        }

        // A number is taken as its text, so a client that sends an id such as a model version as 1 instead of "1" still works.
        return element.ValueKind switch
        {
            JsonValueKind.String => element.GetString(),
            JsonValueKind.Number => element.GetRawText(),
            _ => throw WrongType(path, "a string", element),
        };
    }

    public static string RequireString(JsonElement obj, string name, string path) =>
        GetString(obj, name, path) is { Length: > 0 } value ? value : throw Missing(path);

    public static long? GetInt64(JsonElement obj, string name, string path) =>
        obj.TryGetProperty(name, out var element) ? ReadInt64(element, path) : null;

    /// <summary>Reads an int64 sent as a JSON number or a string; JSON null is null.</summary>
    public static long? ReadInt64(JsonElement element, string path)
    {
        if (element.ValueKind == JsonValueKind.Null)
        {
            return null;
        }

        return element.ValueKind switch
        {
            JsonValueKind.Number when element.TryGetInt64(out var value) => value,
            JsonValueKind.String => ParseInt64(element.GetString(), path),
            _ => throw WrongType(path, "an integer", element),
        };
    }

    public static double? GetDouble(JsonElement obj, string name, string path) =>
        obj.TryGetProperty(name, out var element) ? ReadDouble(element, path) : null;

    /// <summary>Reads a double sent as a JSON number or as a string such as "NaN"; JSON null is null.</summary>
    public static double? ReadDouble(JsonElement element, string path)
    {
        if (element.ValueKind == JsonValueKind.Null)
        {
            return null;
        }

        return element.ValueKind switch
        {
            JsonValueKind.Number => element.GetDouble(),
            JsonValueKind.String => ParseDouble(element.GetString(), path),
            _ => throw WrongType(path, "a number", element),
        };
    }

    public static long? ParseInt64(string? text, string path)
    {
        if (text is null)
        {
            return null;
        }

        return long.TryParse(text, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var value)
            ? value
            : throw TrackingException.InvalidParameter($"Invalid value '{text}' for parameter '{path}': expected an integer.");
    }

    /// <summary>Parses a double, including proto JSON's "NaN", "Infinity" and "-Infinity".</summary>
    public static double? ParseDouble(string? text, string path) => text switch
    {
        null => null,
        "NaN" => double.NaN,
        "Infinity" => double.PositiveInfinity,
        "-Infinity" => double.NegativeInfinity,
        _ when double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var value) && double.IsFinite(value) => value,
        _ => throw TrackingException.InvalidParameter(
            $"Invalid value '{text}' for parameter '{path}': expected a number, \"NaN\", \"Infinity\" or \"-Infinity\"."),
    };

    public static TrackingException Missing(string path) =>
        TrackingException.InvalidParameter($"Missing value for required parameter '{path}'.");

    public static TrackingException WrongType(string path, string expected, JsonElement actual)
    {
        var text = actual.GetRawText();
        if (text.Length > 100)
        {
            text = text[..100] + "...";
        }

        return TrackingException.InvalidParameter($"Invalid value {text} for parameter '{path}': expected {expected}.");
    }
}
