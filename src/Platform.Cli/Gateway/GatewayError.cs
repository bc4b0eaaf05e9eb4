using System.Net;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace Platform.Cli.Gateway;

/// <summary>Reads the MLflow-style error bodies (<c>{"error_code": ..., "message": ...}</c>) that the gateway returns.</summary>
internal static class GatewayError
{
    /// <summary>Returns the <c>error_code</c> of <paramref name="body"/>, or null when the body is not an MLflow-style error.</summary>
    public static string? ReadCode(string body)
    {
        try
        {
            return JsonNode.Parse(body)?["error_code"]?.GetValue<string>();
        }
        catch (Exception ex) when (ex is JsonException or InvalidOperationException or FormatException)
        {
            return null;
        }
    }

    /// <summary>Returns "status code: message" for an MLflow-style body, else the status and the start of the text.</summary>
    public static string Describe(HttpStatusCode status, string body)
    {
        try
        {
            var error = JsonNode.Parse(body);
            var code = error?["error_code"]?.GetValue<string>();
            var message = error?["message"]?.GetValue<string>();
            if (message is not null)
            {
                return $"{(int)status} {code}: {message}";
            }
        }
        catch (JsonException)
        {
            // Not an MLflow-style body; show the status and the start of the text instead.
        }

        return $"{(int)status} {status}: {(body.Length > 200 ? body[..200] : body)}";
    }
}
