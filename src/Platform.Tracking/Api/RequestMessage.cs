using System.Text.Json;

namespace Platform.Tracking.Api;

/// <summary>
/// The fields of one MLflow request: the JSON body of POST and PATCH calls, or the query string of GET calls.
/// Getters accept what MLflow's proto JSON allows (int64 as number or string, doubles as "NaN" or "Infinity")
/// and throw INVALID_PARAMETER_VALUE naming the field for anything else.
/// </summary>
internal sealed class RequestMessage
{
    private readonly JsonElement _body;
    private readonly IQueryCollection? _query;

    private RequestMessage(JsonElement body, IQueryCollection? query)
    {
        _body = body;
        _query = query;
    }

    public static RequestMessage FromQuery(IQueryCollection query) => new(default, query);

    /// <summary>The JSON body object, or default for a GET request, whose fields come from the query string.</summary>
    public JsonElement Body => _body;

    /// <summary>Parses a JSON object body. A JSON string that contains the object (double-encoded) is accepted too.</summary>
    public static RequestMessage FromJson(ReadOnlyMemory<byte> body) => FromJson(body, null);

    /// <summary>
    /// Parses a JSON object body and adds each parsed document to <paramref name="documents"/>. The caller disposes
    /// them after the last use of the message, which returns their pooled buffers; <paramref name="body"/> must stay
    /// unchanged until then, because the documents read from it.
    /// </summary>
    public static RequestMessage FromJson(ReadOnlyMemory<byte> body, ICollection<JsonDocument>? documents)
    {
        if (body.IsEmpty)
        {
            return new RequestMessage(Track(JsonDocument.Parse("{}"), documents).RootElement, null);
        }

        JsonElement root;
        try
        {
            root = Track(JsonDocument.Parse(body), documents).RootElement;
            if (root.ValueKind == JsonValueKind.String)
            {
                root = Track(JsonDocument.Parse(root.GetString()!), documents).RootElement;
            }
        }
        catch (JsonException ex)
        {
            throw TrackingException.InvalidParameter(
                $"Malformed JSON in the request body: {ex.Message} Send a JSON object with Content-Type: application/json.");
        }

        if (root.ValueKind != JsonValueKind.Object)
        {
            throw TrackingException.InvalidParameter(
                $"The request body must be a JSON object, but it is a JSON {root.ValueKind.ToString().ToLowerInvariant()}.");
        }

        return new RequestMessage(root, null);
    }

    private static JsonDocument Track(JsonDocument document, ICollection<JsonDocument>? documents)
    {
        documents?.Add(document);
        return document;
    }

    public string? GetString(string name)
    {
        if (_query is not null)
        {
            return _query.TryGetValue(name, out var values) && values.Count > 0 ? values[0] : null;
        }

        return FieldReader.GetString(_body, name, name);
    }

    /// <summary>Reads an enum field, which proto JSON sends as its name or as its number.</summary>
    public string? GetEnumText(string name)
    {
        if (_query is null && _body.TryGetProperty(name, out var element) && element.ValueKind == JsonValueKind.Number)
        {
            return element.GetRawText();
        }

        return GetString(name);
    }

    /// <summary>Reads a bool sent as JSON true or false, or as "true" or "false" in the query string or a JSON string.</summary>
    public bool? GetBoolean(string name)
    {
        if (_query is null && _body.TryGetProperty(name, out var element))
        {
            switch (element.ValueKind)
            {
                case JsonValueKind.True:
                    return true;
                case JsonValueKind.False:
                    return false;
                case JsonValueKind.Null:
                    return null;
                case JsonValueKind.String:
                    break;
                default:
                    throw FieldReader.WrongType(name, "true or false", element);
            }
        }

        var text = GetString(name);
        return text switch
        {
            null or "" => null,
            _ when bool.TryParse(text, out var value) => value,
            _ => throw TrackingException.InvalidParameter($"Invalid value '{text}' for parameter '{name}': expected true or false."),
        };
    }

    public string RequireString(string name) =>
        GetString(name) is { Length: > 0 } value ? value : throw FieldReader.Missing(name);

    public long? GetInt64(string name) =>
        _query is not null ? FieldReader.ParseInt64(GetString(name), name) : FieldReader.GetInt64(_body, name, name);

    public double? GetDouble(string name) =>
        _query is not null ? FieldReader.ParseDouble(GetString(name), name) : FieldReader.GetDouble(_body, name, name);

    /// <summary>Reads a repeated string field: a JSON array, or repeated query keys (<c>?run_ids=a&amp;run_ids=b</c>).</summary>
    public IReadOnlyList<string> GetStringList(string name)
    {
        if (_query is not null)
        {
            return _query.TryGetValue(name, out var values) ? values.OfType<string>().ToList() : _query.TryGetValue(name + "[]", out var bracketed) ? bracketed.OfType<string>().ToList() : [];
        }

        if (!_body.TryGetProperty(name, out var element) || element.ValueKind == JsonValueKind.Null)
        {
            return [];
        }

        if (element.ValueKind != JsonValueKind.Array)
        {
            throw FieldReader.WrongType(name, "a JSON array of strings", element);
        }

        var list = new List<string>(element.GetArrayLength());
        var index = 0;
        foreach (var item in element.EnumerateArray())
        {
            list.Add(item.ValueKind switch
            {
                JsonValueKind.String => item.GetString()!,
                JsonValueKind.Number => item.GetRawText(),
                _ => throw FieldReader.WrongType($"{name}[{index}]", "a string", item),
            });
            index++;
        }

        return list;
    }

    /// <summary>Returns the objects of an array field. GET requests carry no arrays of objects, so they return an empty list.</summary>
    public IReadOnlyList<JsonElement> GetObjectList(string name)
    {
        if (_query is not null || !_body.TryGetProperty(name, out var element) || element.ValueKind == JsonValueKind.Null)
        {
            return [];
        }

        if (element.ValueKind != JsonValueKind.Array)
        {
            throw FieldReader.WrongType(name, "a JSON array of objects", element);
        }

        var list = new List<JsonElement>(element.GetArrayLength());
        var index = 0;
        foreach (var item in element.EnumerateArray())
        {
            list.Add(item.ValueKind == JsonValueKind.Object ? item : throw FieldReader.WrongType($"{name}[{index}]", "a JSON object", item));
            index++;
        }

        return list;
    }
}
