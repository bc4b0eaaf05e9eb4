using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace Platform.Workers.Inference.Api;

/// <summary>One non-zero of a JSON instance.</summary>
public sealed record FeatureValue(int Field, int Feature, float Value);

/// <summary>The JSON body <c>{"instances": [[{"field":0,"feature":12,"value":1.0}, ...], ...]}</c>.</summary>
public sealed record PredictRequest(IReadOnlyList<IReadOnlyList<FeatureValue>>? Instances);

/// <summary>The response <c>{"predictions": [p, ...]}</c>, one calibrated probability per instance.</summary>
public sealed record PredictResponse(IReadOnlyList<float> Predictions);

/// <summary>An error body: a code in MLflow's style and a message that names the bad value.</summary>
public sealed record ErrorResponse(
    [property: JsonPropertyName("error_code")] string ErrorCode,
    [property: JsonPropertyName("message")] string Message);

[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase)]
[JsonSerializable(typeof(PredictRequest))]
[JsonSerializable(typeof(PredictResponse))]
[JsonSerializable(typeof(ErrorResponse))]
internal sealed partial class PredictionJsonContext : JsonSerializerContext
{
    /// <summary>
    /// Context for response bodies. Its encoder leaves apostrophes and non-ASCII characters in error messages
    /// readable, which is safe because the bodies are application/json and never embedded in HTML.
    /// </summary>
    public static PredictionJsonContext Responses { get; } = new(new JsonSerializerOptions
    {
        PropertyNamingPolicy = JsonNamingPolicy.CamelCase,
        Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
    });
}
