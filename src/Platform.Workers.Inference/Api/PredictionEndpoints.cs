using System.Text.Json;
using Platform.Models.Ffm.Data;
using Platform.Models.Ffm.Model;
using Platform.Workers.Inference.Models;

namespace Platform.Workers.Inference.Api;

/// <summary>Maps <c>POST /v1/models/{name}/predict</c>.</summary>
public static class PredictionEndpoints
{
    public static IEndpointRouteBuilder MapPredictionEndpoints(this IEndpointRouteBuilder endpoints)
    {
        endpoints.MapPost("/v1/models/{name}/predict", PredictAsync);
        return endpoints;
    }

    private static async Task<IResult> PredictAsync(string name, HttpRequest request, ModelHolder holder, ILogger<ModelHolder> logger, CancellationToken cancellationToken)
    {
        // Taken once, so a model swap during the request does not mix two models.
        var served = holder.Current;
        if (served is null)
        {
            InferenceLog.RequestRejected(logger, name, "no model loaded yet");
            return Error(StatusCodes.Status503ServiceUnavailable, "TEMPORARILY_UNAVAILABLE", "No model is loaded yet; retry when /readyz succeeds.");
        }

        if (!string.Equals(name, served.Name, StringComparison.Ordinal))
        {
            InferenceLog.RequestRejected(logger, name, $"this worker serves '{served.Name}'");
            return Error(StatusCodes.Status404NotFound, "RESOURCE_DOES_NOT_EXIST", $"Model '{name}' is not served here; this worker serves '{served.Name}'.");
        }

        FfmProblem rows;
        try
        {
            rows = await ReadRowsAsync(request, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception exception) when (exception is FormatException or JsonException)
        {
            InferenceLog.RequestRejected(logger, name, exception.Message);
            return Error(StatusCodes.Status400BadRequest, "INVALID_PARAMETER_VALUE", exception.Message);
        }
        catch (NotSupportedException exception)
        {
            InferenceLog.RequestRejected(logger, name, exception.Message);
            return Error(StatusCodes.Status415UnsupportedMediaType, "INVALID_PARAMETER_VALUE", exception.Message);
        }

        var predictions = new float[rows.RowCount];
        try
        {
            for (var i = 0; i < predictions.Length; i++)
            {
                predictions[i] = served.Model.Predict(rows.Row(i));
            }
        }
        catch (FfmModelMismatchException exception)
        {
            InferenceLog.RequestRejected(logger, name, exception.Message);
            return Error(StatusCodes.Status400BadRequest, "INVALID_PARAMETER_VALUE", exception.Message);
        }

        return Results.Json(new PredictResponse(predictions), PredictionJsonContext.Responses.PredictResponse);
    }

    private static async Task<FfmProblem> ReadRowsAsync(HttpRequest request, CancellationToken cancellationToken)
    {
        var mediaType = request.ContentType?.Split(';', 2)[0].Trim() ?? string.Empty;
        if (mediaType.Equals("application/json", StringComparison.OrdinalIgnoreCase))
        {
            var body = await JsonSerializer.DeserializeAsync(request.Body, PredictionJsonContext.Default.PredictRequest, cancellationToken).ConfigureAwait(false)
                ?? throw new FormatException("The JSON body is null.");
            return PredictionRows.FromJson(body);
        }

        if (mediaType.Equals("text/plain", StringComparison.OrdinalIgnoreCase))
        {
            var body = await ReadBodyAsync(request, cancellationToken).ConfigureAwait(false);
            return PredictionRows.FromText(body);
        }

        throw new NotSupportedException($"Content type '{request.ContentType}' is not supported; send text/plain (libffm rows) or application/json.");
    }

    /// <summary>Reads the whole body as bytes; Kestrel's request size limit (30 MB by default) bounds it.</summary>
    private static async Task<ReadOnlyMemory<byte>> ReadBodyAsync(HttpRequest request, CancellationToken cancellationToken)
    {
        if (request.ContentLength is { } length and <= int.MaxValue)
        {
            var buffer = new byte[length];
            await request.Body.ReadExactlyAsync(buffer, cancellationToken).ConfigureAwait(false);
            return buffer;
        }

        using var copy = new MemoryStream();
        await request.Body.CopyToAsync(copy, cancellationToken).ConfigureAwait(false);
        return copy.GetBuffer().AsMemory(0, (int)copy.Length);
    }

    private static IResult Error(int status, string code, string message) =>
        Results.Json(new ErrorResponse(code, message), PredictionJsonContext.Responses.ErrorResponse, statusCode: status);
}
