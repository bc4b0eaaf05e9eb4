using System.Text.Json;
using Platform.Tracking.Model;

namespace Platform.Tracking.Api;

/// <summary>Parsing steps shared by several handlers: run ids, tag lists, view types and page sizes.</summary>
internal static class RequestParsing
{
    /// <summary>Reads <c>run_id</c>, falling back to the deprecated <c>run_uuid</c> that clients still send.</summary>
    public static string GetRunId(RequestMessage message)
    {
        var runId = message.GetString("run_id");
        if (string.IsNullOrEmpty(runId))
        {
            runId = message.GetString("run_uuid");
        }

        if (string.IsNullOrEmpty(runId))
        {
            throw FieldReader.Missing("run_id");
        }

        TrackingValidator.ValidateRunId(runId);
        return runId;
    }

    public static string GetExperimentId(RequestMessage message)
    {
        var experimentId = message.RequireString("experiment_id");
        TrackingValidator.ValidateExperimentId(experimentId);
        return experimentId;
    }

    /// <summary>Reads a list of <c>{key, value}</c> objects and checks each pair with <paramref name="validate"/>.</summary>
    public static List<KeyValue> GetKeyValues(IReadOnlyList<JsonElement> items, string field, Action<string, string> validate)
    {
        var list = new List<KeyValue>(items.Count);
        for (var i = 0; i < items.Count; i++)
        {
            var path = $"{field}[{i}]";
            var key = FieldReader.RequireString(items[i], "key", path + ".key");
            var value = FieldReader.GetString(items[i], "value", path + ".value")
                ?? throw FieldReader.Missing(path + ".value");
            validate(key, value);
            list.Add(new KeyValue(key, value));
        }

        return list;
    }

    public static void ValidateRunTag(string key, string value)
    {
        TrackingValidator.ValidateKey("Tag", key);
        TrackingValidator.ValidateTagValue(key, value);
    }

    public static void ValidateParam(string key, string value)
    {
        TrackingValidator.ValidateKey("Param", key);
        TrackingValidator.ValidateParamValue(key, value);
    }

    /// <summary>Parses a ViewType given by name (ACTIVE_ONLY, DELETED_ONLY, ALL) or by proto number (1, 2, 3).</summary>
    public static ViewType GetViewType(RequestMessage message, string field) => message.GetEnumText(field) switch
    {
        null or "" or "ACTIVE_ONLY" or "1" => ViewType.ActiveOnly,
        "DELETED_ONLY" or "2" => ViewType.DeletedOnly,
        "ALL" or "3" => ViewType.All,
        var other => throw TrackingException.InvalidParameter(
            $"Invalid value '{other}' for parameter '{field}': use ACTIVE_ONLY, DELETED_ONLY or ALL."),
    };

    /// <summary>Reads a page size, using <paramref name="defaultValue"/> when absent and rejecting values outside 1..<paramref name="max"/>.</summary>
    public static int GetMaxResults(RequestMessage message, int defaultValue, int max)
    {
        var value = message.GetInt64("max_results");
        if (value is null)
        {
            return defaultValue;
        }

        if (value < 1 || value > max)
        {
            throw TrackingException.InvalidParameter(
                $"Invalid value {value} for parameter 'max_results': it must be between 1 and {max}.");
        }

        return (int)value.Value;
    }
}
