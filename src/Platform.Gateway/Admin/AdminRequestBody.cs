using System.Text.Json;
using Platform.Gateway.Hosting;

namespace Platform.Gateway.Admin;

/// <summary>
/// Reader of JSON admin request bodies that reports each defect as an MLflow-style error naming the
/// problem: a missing body, a wrong content type, a body that is too large or invalid JSON, an unknown
/// field, or a field of the wrong type. It replaces the framework's parameter-binding messages.
/// </summary>
internal static class AdminRequestBody
{
    /// <summary>
    /// Reads the body as <typeparamref name="T"/>. <paramref name="fields"/> maps each accepted JSON
    /// field name to the expected value, as an error message shows it. Returns the value, or an error result.
    /// </summary>
    public static async Task<(T? Value, IResult? Error)> ReadAsync<T>(
        HttpRequest request, IReadOnlyDictionary<string, string> fields, JsonSerializerOptions options, CancellationToken cancellationToken)
        where T : class
    {
        var accepted = string.Join(", ", fields.Keys);
        if (request.ContentLength is 0 || (request.ContentLength is null && request.ContentType is null))
        {
            return (null, Error(StatusCodes.Status400BadRequest, MlflowError.InvalidParameterValue, $"Missing request body: send a JSON object with the fields {accepted}."));
        }

        if (!request.HasJsonContentType())
        {
            var contentType = string.IsNullOrEmpty(request.ContentType) ? "none" : $"'{AdminLimits.Echo(request.ContentType)}'";
            return (null, Error(StatusCodes.Status415UnsupportedMediaType, MlflowError.BadRequest, $"Unsupported content type {contentType}: send the body as application/json."));
        }

        if (request.ContentLength > AdminLimits.MaxBodyBytes)
        {
            return (null, TooLarge());
        }

        using var buffer = new MemoryStream();
        var chunk = new byte[16 * 1024];
        int read;
        while ((read = await request.Body.ReadAsync(chunk, cancellationToken)) > 0)
        {
            if (buffer.Length + read > AdminLimits.MaxBodyBytes)
            {
                return (null, TooLarge());
            }

            buffer.Write(chunk, 0, read);
        }

        if (buffer.Length == 0)
        {
            return (null, Error(StatusCodes.Status400BadRequest, MlflowError.InvalidParameterValue, $"Missing request body: send a JSON object with the fields {accepted}."));
        }

        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(buffer.ToArray());
        }
        catch (JsonException ex)
        {
            // JsonException reports zero-based positions; messages count from 1 as editors do.
            var message = $"Invalid JSON in the request body at line {ex.LineNumber + 1}, byte {ex.BytePositionInLine + 1}: fix the syntax and send a JSON object.";
            return (null, Error(StatusCodes.Status400BadRequest, MlflowError.InvalidParameterValue, message));
        }

        using (document)
        {
            if (document.RootElement.ValueKind != JsonValueKind.Object)
            {
                return (null, Error(StatusCodes.Status400BadRequest, MlflowError.InvalidParameterValue, $"The request body is a JSON {document.RootElement.ValueKind.ToString().ToLowerInvariant()}, not an object: send a JSON object with the fields {accepted}."));
            }

            var unknown = document.RootElement.EnumerateObject()
                .Select(property => property.Name)
                .Where(name => !fields.ContainsKey(name))
                .Distinct(StringComparer.Ordinal)
                .ToList();
            if (unknown.Count > 0)
            {
                var names = string.Join(", ", unknown.Take(10).Select(name => $"'{AdminLimits.Echo(name)}'"));
                return (null, Error(StatusCodes.Status400BadRequest, MlflowError.InvalidParameterValue, $"Unknown field(s) {names} in the request body. Accepted fields: {accepted}."));
            }

            try
            {
                return (document.RootElement.Deserialize<T>(options), null);
            }
            catch (JsonException ex)
            {
                var field = FieldOf(ex.Path);
                var expected = field is not null && fields.TryGetValue(field, out var description) ? $": expected {description}" : "";
                var message = $"Invalid value for field '{field ?? ex.Path}'{expected}.";
                return (null, Error(StatusCodes.Status400BadRequest, MlflowError.InvalidParameterValue, message));
            }
        }
    }

    /// <summary>Returns the top-level field of a JSON path such as <c>$.add_collaborators[0]</c>.</summary>
    private static string? FieldOf(string? path)
    {
        if (path is null || !path.StartsWith("$.", StringComparison.Ordinal))
        {
            return null;
        }

        var end = path.IndexOfAny(['.', '['], 2);
        return end < 0 ? path[2..] : path[2..end];
    }

    private static IResult TooLarge() => Error(
        StatusCodes.Status413PayloadTooLarge,
        MlflowError.InvalidParameterValue,
        $"Request body larger than {AdminLimits.MaxBodyBytes} bytes: send at most {AdminLimits.MaxAddressesPerRequest} email addresses per request.");

    private static IResult Error(int statusCode, string errorCode, string message) =>
        Results.Json(new MlflowError(errorCode, message), statusCode: statusCode);
}
