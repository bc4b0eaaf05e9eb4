using System.Text.Json;
using Platform.Tracking.Model;

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

    /// <summary>
    /// Writes a search page as <c>{"items": [...], "next_page_token": "..."}</c>, where <paramref name="itemsProperty"/>
    /// names the array. The token is left out on the last page.
    /// </summary>
    public static Task WritePageAsync<T>(HttpContext context, string itemsProperty, Page<T> page, Action<Utf8JsonWriter, T> writeItem) =>
        WriteObjectAsync(context, writer =>
        {
            writer.WriteStartArray(itemsProperty);
            foreach (var item in page.Items)
            {
                writeItem(writer, item);
            }

            writer.WriteEndArray();
            if (page.NextPageToken is not null)
            {
                writer.WriteString("next_page_token", page.NextPageToken);
            }
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
