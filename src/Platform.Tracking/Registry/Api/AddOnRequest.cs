using System.Text.Json;
using Platform.Tracking.Api;

namespace Platform.Tracking.Registry.Api;

/// <summary>
/// One request to an add-on route: the tracking server's <see cref="RequestMessage"/> plus the values taken from
/// the URL path, such as the model id of <c>/logged-models/{model_id}</c>.
/// </summary>
internal sealed class AddOnRequest
{
    private readonly HttpContext _context;

    public AddOnRequest(HttpContext context, RequestMessage message)
    {
        _context = context;
        Message = message;
    }

    public RequestMessage Message { get; }

    public CancellationToken Aborted => _context.RequestAborted;

    public HttpContext Context => _context;

    /// <summary>Reads a bool field; see <see cref="RequestMessage.GetBoolean"/>.</summary>
    public bool? GetBoolean(string name) => Message.GetBoolean(name);

    /// <summary>Returns a value captured from the URL path, such as the model id of <c>logged-models/{model_id}</c>.</summary>
    public string GetPathValue(string name) =>
        _context.Request.RouteValues[name] as string is { Length: > 0 } value ? value : throw FieldReader.Missing(name);

    /// <summary>Returns the JSON body object; default for GET requests.</summary>
    public JsonElement Body => Message.Body;
}
