using System.Diagnostics;
using System.Text;
using System.Text.Json;
using Platform.Models.Ffm.Metrics;

namespace Platform.MainJob;

/// <summary>Quality and latency of a model served by the inference worker, measured on labelled rows.</summary>
public sealed record EvaluationResult(int Rows, int Requests, double Logloss, double Auc, double P50Milliseconds, double P95Milliseconds, double P99Milliseconds);

/// <summary>
/// Sends labelled libffm rows to <c>POST /v1/models/{name}/predict</c> in fixed-size requests, then scores the
/// returned probabilities (logloss, AUC) and the request latencies.
/// </summary>
internal sealed class PredictionEvaluator
{
    private readonly HttpClient _http;

    public PredictionEvaluator(HttpClient http)
    {
        ArgumentNullException.ThrowIfNull(http);
        _http = http;
    }

    public async Task<EvaluationResult> EvaluateAsync(string modelName, string dataFile, int rowsPerRequest, CancellationToken cancellationToken)
    {
        var lines = (await File.ReadAllLinesAsync(dataFile, cancellationToken)).Where(line => line.Length > 0).ToArray();
        if (lines.Length == 0)
        {
            throw new InvalidDataException($"The evaluation file '{dataFile}' has no rows.");
        }

        var labels = new bool[lines.Length];
        for (var i = 0; i < lines.Length; i++)
        {
            labels[i] = ParseLabel(lines[i], dataFile, i + 1);
        }

        var probabilities = new double[lines.Length];
        var latencies = new List<double>(lines.Length / rowsPerRequest + 1);
        var path = $"/v1/models/{Uri.EscapeDataString(modelName)}/predict";
        for (var offset = 0; offset < lines.Length; offset += rowsPerRequest)
        {
            var count = Math.Min(rowsPerRequest, lines.Length - offset);
            var body = string.Join('\n', lines, offset, count);
            using var content = new StringContent(body, Encoding.UTF8, "text/plain");

            var started = Stopwatch.GetTimestamp();
            using var response = await _http.PostAsync(path, content, cancellationToken);
            var json = await response.Content.ReadAsStringAsync(cancellationToken);
            latencies.Add(Stopwatch.GetElapsedTime(started).TotalMilliseconds);
            if (!response.IsSuccessStatusCode)
            {
                throw new HttpRequestException($"The inference worker answered {(int)response.StatusCode} for rows {offset + 1}-{offset + count}: {json}");
            }

            using var document = JsonDocument.Parse(json);
            var predictions = document.RootElement.GetProperty("predictions");
            if (predictions.GetArrayLength() != count)
            {
                throw new InvalidDataException($"The inference worker returned {predictions.GetArrayLength()} predictions for {count} rows.");
            }

            var index = offset;
            foreach (var prediction in predictions.EnumerateArray())
            {
                probabilities[index++] = prediction.GetDouble();
            }
        }

        latencies.Sort();
        return new EvaluationResult(
            lines.Length,
            latencies.Count,
            BinaryMetrics.Logloss(probabilities, labels),
            BinaryMetrics.Auc(probabilities, labels),
            Percentile(latencies, 0.50),
            Percentile(latencies, 0.95),
            Percentile(latencies, 0.99));
    }

    private static bool ParseLabel(string line, string file, int lineNumber)
    {
        var end = line.IndexOf(' ', StringComparison.Ordinal);
        var label = end < 0 ? line : line[..end];
        return label switch
        {
            "1" or "+1" => true,
            "0" or "-1" => false,
            _ => throw new InvalidDataException($"Line {lineNumber} of '{file}' starts with '{label}', not a 0/1 label."),
        };
    }

    // Nearest-rank percentile over sorted values.
    private static double Percentile(List<double> sorted, double quantile)
    {
        var rank = (int)Math.Ceiling(quantile * sorted.Count) - 1;
        return sorted[Math.Clamp(rank, 0, sorted.Count - 1)];
    }
}
