using System.Net.Http.Headers;

namespace Platform.Artifacts.Tests.Support;

/// <summary>
/// Sends the requests that MLflow's Python client sends through the artifact proxy
/// (mlflow/store/artifact/http_artifact_repo.py): a raw-body PUT per file with a guessed Content-Type,
/// a GET with <c>?path=</c> to list one level, and a GET per file to download.
/// </summary>
internal sealed class MlflowPythonClient(HttpClient http)
{
    private const string ArtifactsRoute = "/api/2.0/mlflow-artifacts/artifacts";

    /// <summary><c>log_artifact</c>: uploads one file to <c>{runRoot}/{artifactPath}/{fileName}</c>.</summary>
    public async Task<HttpResponseMessage> LogArtifactAsync(string runRoot, string? artifactPath, string fileName, byte[] content, string contentType)
    {
        var path = artifactPath is null ? $"{runRoot}/{fileName}" : $"{runRoot}/{artifactPath}/{fileName}";
        using var request = new HttpRequestMessage(HttpMethod.Put, $"{ArtifactsRoute}/{path}") { Content = new ByteArrayContent(content) };
        request.Content.Headers.ContentType = MediaTypeHeaderValue.Parse(contentType);
        AddPythonHeaders(request);
        return await http.SendAsync(request);
    }

    /// <summary><c>list_artifacts</c>: lists <c>{runRoot}/{path}</c> one level deep.</summary>
    public async Task<HttpResponseMessage> ListArtifactsAsync(string runRoot, string? path)
    {
        var folder = string.IsNullOrEmpty(path) ? runRoot : $"{runRoot}/{path}";
        using var request = new HttpRequestMessage(HttpMethod.Get, $"{ArtifactsRoute}?path={Uri.EscapeDataString(folder)}");
        AddPythonHeaders(request);
        return await http.SendAsync(request);
    }

    /// <summary>One file of <c>download_artifacts</c>.</summary>
    public async Task<HttpResponseMessage> DownloadArtifactAsync(string runRoot, string path)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, $"{ArtifactsRoute}/{runRoot}/{path}");
        AddPythonHeaders(request);
        return await http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead);
    }

    private static void AddPythonHeaders(HttpRequestMessage request)
    {
        request.Headers.UserAgent.ParseAdd("mlflow-python-client/2.19.0");
        request.Headers.Accept.ParseAdd("*/*");
        request.Headers.AcceptEncoding.ParseAdd("gzip, deflate");
    }
}
