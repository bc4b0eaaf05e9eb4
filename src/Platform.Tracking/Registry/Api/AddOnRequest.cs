using System.Text.Json;
using Platform.Tracking.Api;

namespace Platform.Tracking.Registry.Api;

/// <summary>
/// One request to an add-on route: the tracking server's <see cref="RequestMessage"/> plus what it does not read,
/// namely booleans and values taken from the URL path such as <c>/logged-models/{model_id}</c>.
/// </summary>
internal sealed class AddOnRequest
{
    private readonly JsonElement _body;
    private readonly HttpContext _context;

    public AddOnRequest(HttpContext context, RequestMessage message, JsonElement body)
    {
        _context = context;
        Message = message;
        _body = body;
    }

    public RequestMessage Message { get; }

    public CancellationToken Aborted => _context.RequestAborted;

    public HttpContext Context => _context;

    /// <summary>Reads a bool sent as JSON true/false, or as "true"/"false" in a query string or string field.</summary>
    public bool? GetBoolean(string name)
    {
        if (_body.ValueKind == JsonValueKind.Object && _body.TryGetProperty(name, out var element))
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

        var text = Message.GetString(name);
        return text switch
        {
            null or "" => null,
            _ when bool.TryParse(text, out var value) => value,
            _ => throw TrackingException.InvalidParameter($"Invalid value '{text}' for parameter '{name}': expected true or false."),
        };
    }

    /// <summary>Returns a value captured from the URL path, such as the model id of <c>logged-models/{model_id}</c>.</summary>
    public string GetPathValue(string name) =>
        _context.Request.RouteValues[name] as string is { Length: > 0 } value ? value : throw FieldReader.Missing(name);

    /// <summary>Returns the raw JSON body; default for GET requests.</summary>
    public JsonElement Body => _body;
}
