using System.Text.Json;

namespace Platform.Tracking.Api;

/// <summary>Writes JSON response bodies straight into the response pipe.</summary>
internal static class JsonResults
{
    private static readonly JsonWriterOptions WriterOptions = new()
    {
        Indented = false,
        SkipValidation = true,

        // Quotes and apostrophes stay readable in messages. The body is served as JSON and never embedded in HTML.
        Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
    };

    public static async Task WriteAsync(HttpContext context, int statusCode, Action<Utf8JsonWriter> write)
    {
        var response = context.Response;
        response.StatusCode = statusCode;
        response.ContentType = "application/json";
        await using (var writer = new Utf8JsonWriter(response.BodyWriter, WriterOptions))
        {
            write(writer);
        }

        await response.BodyWriter.FlushAsync(context.RequestAborted);
    }

    /// <summary>Writes MLflow's <c>{}</c> success body.</summary>
    public static Task WriteEmptyAsync(HttpContext context) =>
        WriteAsync(context, StatusCodes.Status200OK, writer =>
        {
            writer.WriteStartObject();
            writer.WriteEndObject();
        });

    public static Task WriteObjectAsync(HttpContext context, Action<Utf8JsonWriter> writeProperties) =>
        WriteAsync(context, StatusCodes.Status200OK, writer =>
        {
            writer.WriteStartObject();
            writeProperties(writer);
            writer.WriteEndObject();
        });

    public static Task WriteErrorAsync(HttpContext context, string errorCode, string message) =>
        WriteAsync(context, ErrorCodes.ToHttpStatus(errorCode), writer =>
        {
            writer.WriteStartObject();
            writer.WriteString("error_code", errorCode);
            writer.WriteString("message", message);
            writer.WriteEndObject();
        });
}
