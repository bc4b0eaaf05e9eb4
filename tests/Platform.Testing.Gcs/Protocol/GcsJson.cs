using System.Globalization;
using System.Text.Json;
using Microsoft.AspNetCore.Http;

namespace Platform.Testing.Gcs;

/// <summary>Writes JSON API resources (<c>storage#object</c>, <c>storage#objects</c>) and Google error bodies.</summary>
internal static class GcsJson
{
    public static void WriteObject(Utf8JsonWriter writer, GcsStoredObject stored, string serverUrl)
    {
        var encodedName = Uri.EscapeDataString(stored.Name);
        var generation = stored.Generation.ToString(CultureInfo.InvariantCulture);
        var timestamp = stored.Created.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", CultureInfo.InvariantCulture);

        writer.WriteStartObject();
        writer.WriteString("kind", "storage#object");
        writer.WriteString("id", $"{stored.Bucket}/{stored.Name}/{generation}");
        writer.WriteString("selfLink", $"{serverUrl}/storage/v1/b/{stored.Bucket}/o/{encodedName}");
        writer.WriteString("mediaLink", $"{serverUrl}/download/storage/v1/b/{stored.Bucket}/o/{encodedName}?generation={generation}&alt=media");
        writer.WriteString("name", stored.Name);
        writer.WriteString("bucket", stored.Bucket);
        writer.WriteString("generation", generation);
        writer.WriteString("metageneration", "1");
        writer.WriteString("contentType", stored.ContentType);
        writer.WriteString("storageClass", "STANDARD");
        writer.WriteString("size", stored.Size.ToString(CultureInfo.InvariantCulture));
        writer.WriteString("md5Hash", Convert.ToBase64String(stored.Md5));
        writer.WriteString("crc32c", Crc32C.ToBase64(stored.Crc32C));
        writer.WriteString("etag", ETag(stored));
        writer.WriteString("timeCreated", timestamp);
        writer.WriteString("updated", timestamp);
        writer.WriteEndObject();
    }

    public static string ETag(GcsStoredObject stored) => Convert.ToBase64String(BitConverter.GetBytes(stored.Generation));

    public static async Task WriteObjectResponseAsync(HttpContext context, GcsStoredObject stored, string serverUrl)
    {
        context.Response.StatusCode = StatusCodes.Status200OK;
        context.Response.ContentType = "application/json; charset=UTF-8";
        await using var writer = new Utf8JsonWriter(context.Response.BodyWriter);
        WriteObject(writer, stored, serverUrl);
        await writer.FlushAsync(context.RequestAborted);
    }

    public static async Task WriteErrorAsync(HttpContext context, GcsProtocolException error)
    {
        context.Response.StatusCode = error.StatusCode;
        context.Response.ContentType = "application/json; charset=UTF-8";
        await using var writer = new Utf8JsonWriter(context.Response.BodyWriter);
        writer.WriteStartObject();
        writer.WriteStartObject("error");
        writer.WriteNumber("code", error.StatusCode);
        writer.WriteString("message", error.Message);
        writer.WriteStartArray("errors");
        writer.WriteStartObject();
        writer.WriteString("message", error.Message);
        writer.WriteString("domain", "global");
        writer.WriteString("reason", error.Reason);
        writer.WriteEndObject();
        writer.WriteEndArray();
        writer.WriteEndObject();
        writer.WriteEndObject();
        await writer.FlushAsync(context.RequestAborted);
    }
}
