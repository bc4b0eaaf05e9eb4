using System.Text.Json.Nodes;

namespace Platform.Testing.Kubernetes;

/// <summary>
/// Evaluates the JSONPath subset that printer columns use: dotted fields, <c>[n]</c> indexes and
/// <c>[?(@.field=="value")]</c> filters, for example <c>.status.conditions[?(@.type=="Ready")].status</c>.
/// </summary>
internal static class JsonPathEvaluator
{
    public static JsonNode? Evaluate(JsonNode? root, string path)
    {
        var current = root;
        var text = path.Trim().TrimStart('{').TrimEnd('}').TrimStart('$');
        var position = 0;
        while (position < text.Length && current is not null)
        {
            if (text[position] == '.')
            {
                position++;
                var end = position;
                while (end < text.Length && text[end] != '.' && text[end] != '[')
                {
                    end++;
                }

                current = current is JsonObject obj ? obj[text[position..end]] : null;
                position = end;
            }
            else if (text[position] == '[')
            {
                var end = text.IndexOf(']', position);
                if (end < 0)
                {
                    return null;
                }

                current = SelectInBrackets(current, text[(position + 1)..end]);
                position = end + 1;
            }
            else
            {
                return null;
            }
        }

        return current;
    }

    private static JsonNode? SelectInBrackets(JsonNode? node, string selector)
    {
        if (node is not JsonArray array)
        {
            return null;
        }

        if (int.TryParse(selector, out var index))
        {
            return index >= 0 && index < array.Count ? array[index] : null;
        }

        // Filter form ?(@.field=="value"); the first match wins, as kubectl prints one value per cell.
        var filter = selector.Trim();
        if (!filter.StartsWith("?(@.", StringComparison.Ordinal) || !filter.EndsWith(')'))
        {
            return null;
        }

        var parts = filter[4..^1].Split("==", 2);
        if (parts.Length != 2)
        {
            return null;
        }

        var field = parts[0].Trim();
        var expected = parts[1].Trim().Trim('"', '\'');
        return array.OfType<JsonObject>().FirstOrDefault(item => (item[field] as JsonValue)?.ToString() == expected);
    }
}
