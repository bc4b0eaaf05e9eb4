using System.Text.Json;
using Microsoft.AspNetCore.Http;

namespace Platform.Artifacts.Endpoints;

/// <summary>Writes MLflow's JSON error body: <c>{"error_code": "...", "message": "..."}</c>.</summary>
public static class MlflowErrorResponse
{
    /// <summary>MLflow error code for an unexpected server failure (HTTP 500).</summary>
    public const string InternalError = "INTERNAL_ERROR";

    /// <summary>Writes <paramref name="exception"/> as an MLflow error with its status code.</summary>
    public static Task WriteAsync(HttpContext context, ArtifactException exception, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(exception);
        if (exception.ResourceLength is { } length)
        {
            context.Response.Headers.ContentRange = $"bytes */{length}";
        }

        return WriteAsync(context, exception.StatusCode, exception.ErrorCode, exception.Message, cancellationToken);
    }

    /// <summary>Writes an MLflow error body with <paramref name="statusCode"/>.</summary>
    public static async Task WriteAsync(HttpContext context, int statusCode, string errorCode, string message, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(context);
        context.Response.StatusCode = statusCode;
        context.Response.ContentType = "application/json";
        await using var writer = new Utf8JsonWriter(context.Response.BodyWriter, ArtifactJson.WriterOptions);
        writer.WriteStartObject();
        writer.WriteString("error_code", errorCode);
        writer.WriteString("message", message);
        writer.WriteEndObject();
        await writer.FlushAsync(cancellationToken).ConfigureAwait(false);
    }
}
