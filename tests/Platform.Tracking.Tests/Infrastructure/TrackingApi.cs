using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;

namespace Platform.Tracking.Tests.Infrastructure;

/// <summary>Sends raw MLflow REST calls, byte for byte as the tests write them, to one started server.</summary>
public sealed class TrackingApi
{
    private readonly HttpClient _http;

    public TrackingApi(HttpClient http)
    {
        _http = http;
    }

    public HttpClient Http => _http;

    public Task<ApiResponse> PostAsync(string path, string json, IDictionary<string, string>? headers = null) =>
        SendAsync(HttpMethod.Post, path, json, headers);

    public Task<ApiResponse> GetAsync(string pathAndQuery) => SendAsync(HttpMethod.Get, pathAndQuery, null, null);

    public async Task<ApiResponse> SendAsync(HttpMethod method, string path, string? json, IDictionary<string, string>? headers)
    {
        using var request = new HttpRequestMessage(method, path.StartsWith('/') ? path : "/api/2.0/mlflow/" + path);
        if (json is not null)
        {
            request.Content = new StringContent(json, Encoding.UTF8);
            request.Content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
        }

        foreach (var (name, value) in headers ?? new Dictionary<string, string>())
        {
            request.Headers.TryAddWithoutValidation(name, value);
        }

        using var response = await _http.SendAsync(request);
        var body = await response.Content.ReadAsStringAsync();
        var parsed = body.Length == 0 ? default : JsonDocument.Parse(body).RootElement.Clone();
        return new ApiResponse(response.StatusCode, parsed, body);
    }

    /// <summary>Creates an experiment with a unique name and returns its id.</summary>
    public async Task<string> CreateExperimentAsync(string prefix = "exp")
    {
        var name = $"{prefix}-{Guid.NewGuid():N}";
        var response = (await PostAsync("experiments/create", $$"""{"name": "{{name}}"}""")).EnsureOk();
        return response.Json.GetProperty("experiment_id").GetString()!;
    }

    /// <summary>Creates a run the way MLflow's Python client does and returns its run_id.</summary>
    public async Task<string> CreateRunAsync(string experimentId, long startTime = 1700000000000, string? runName = null)
    {
        var nameField = runName is null ? string.Empty : $", \"run_name\": \"{runName}\"";
        var response = (await PostAsync("runs/create",
            $$"""{"experiment_id": "{{experimentId}}", "user_id": "alice", "start_time": {{startTime}}, "tags": [{"key": "mlflow.source.name", "value": "train.py"}]{{nameField}}}""")).EnsureOk();
        return response.Json.GetProperty("run").GetProperty("info").GetProperty("run_id").GetString()!;
    }
}
