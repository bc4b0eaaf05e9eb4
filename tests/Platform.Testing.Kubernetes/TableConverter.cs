using System.Text.Json.Nodes;

namespace Platform.Testing.Kubernetes;

/// <summary>Builds the <c>meta.k8s.io/v1 Table</c> that <c>kubectl get</c> prints, from a resource's printer columns.</summary>
internal static class TableConverter
{
    public static JsonObject Convert(ResourceType type, IEnumerable<JsonObject> items, long resourceVersion, TimeProvider time)
    {
        var definitions = new JsonArray
        {
            new JsonObject { ["name"] = "Name", ["type"] = "string", ["format"] = "name", ["description"] = "Name of the object.", ["priority"] = 0 },
        };
        foreach (var column in type.PrinterColumns)
        {
            definitions.Add(new JsonObject
            {
                ["name"] = column.Name,
                ["type"] = column.Type,
                ["format"] = "",
                ["description"] = column.Description,
                ["priority"] = column.Priority,
            });
        }

        var rows = new JsonArray();
        foreach (var item in items)
        {
            var cells = new JsonArray { (string?)item["metadata"]?["name"] };
            foreach (var column in type.PrinterColumns)
            {
                cells.Add(FormatCell(column, JsonPathEvaluator.Evaluate(item, column.JsonPath), time));
            }

            rows.Add(new JsonObject { ["cells"] = cells, ["object"] = item.DeepClone() });
        }

        return new JsonObject
        {
            ["kind"] = "Table",
            ["apiVersion"] = "meta.k8s.io/v1",
            ["metadata"] = new JsonObject { ["resourceVersion"] = resourceVersion.ToString(System.Globalization.CultureInfo.InvariantCulture) },
            ["columnDefinitions"] = definitions,
            ["rows"] = rows,
        };
    }

    // The API server turns date columns into ages ("5m") and leaves a missing value empty (kubectl prints <none>).
    private static JsonNode? FormatCell(PrinterColumn column, JsonNode? value, TimeProvider time)
    {
        if (value is null)
        {
            return null;
        }

        if (column.Type == "date" && DateTimeOffset.TryParse(value.ToString(), System.Globalization.CultureInfo.InvariantCulture, out var at))
        {
            return HumanDuration(time.GetUtcNow() - at);
        }

        return value.DeepClone();
    }

    private static string HumanDuration(TimeSpan age)
    {
        if (age < TimeSpan.FromMinutes(2))
        {
            return $"{Math.Max(0, (int)age.TotalSeconds)}s";
        }

        if (age < TimeSpan.FromHours(2))
        {
            return $"{(int)age.TotalMinutes}m";
        }

        return age < TimeSpan.FromDays(2) ? $"{(int)age.TotalHours}h" : $"{(int)age.TotalDays}d";
    }
}
