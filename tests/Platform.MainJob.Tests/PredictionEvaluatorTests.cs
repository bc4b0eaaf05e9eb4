using System.Net;
using System.Text;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;

namespace Platform.MainJob.Tests;

/// <summary>Runs the evaluator against a small Kestrel predictor that returns each row's label feature as its probability.</summary>
public sealed class PredictionEvaluatorTests : IAsyncLifetime
{
    private readonly string _file = Path.GetTempFileName();
    private WebApplication _app = null!;
    private int _requests;

    public async Task InitializeAsync()
    {
        var builder = WebApplication.CreateBuilder();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        _app = builder.Build();
        _app.MapPost("/v1/models/{name}/predict", async (HttpRequest request) =>
        {
            Interlocked.Increment(ref _requests);
            using var reader = new StreamReader(request.Body, Encoding.UTF8);
            var lines = (await reader.ReadToEndAsync()).Split('\n');

            // The row's value of field 0 is its predicted probability, so the expected scores are known.
            var predictions = lines.Select(line => double.Parse(line.Split(' ')[1].Split(':')[2], System.Globalization.CultureInfo.InvariantCulture));
            return Results.Json(new { predictions });
        });
        await _app.StartAsync();
    }

    public async Task DisposeAsync()
    {
        await _app.DisposeAsync();
        File.Delete(_file);
    }

    [Fact]
    public async Task Evaluate_ScoresRowsInRequests()
    {
        await File.WriteAllLinesAsync(_file, ["1 0:1:0.9", "0 0:1:0.1", "1 0:1:0.8", "0 0:1:0.3", "1 0:1:0.6"]);
        using var http = new HttpClient { BaseAddress = new Uri(_app.Urls.First()) };

        var result = await new PredictionEvaluator(http).EvaluateAsync("m", _file, 2, CancellationToken.None);

        Assert.Equal(5, result.Rows);
        Assert.Equal(3, result.Requests);
        Assert.Equal(3, _requests);
        Assert.Equal(1.0, result.Auc, 6);
        var expectedLogloss = -(Math.Log(0.9) + Math.Log(0.9) + Math.Log(0.8) + Math.Log(0.7) + Math.Log(0.6)) / 5;
        Assert.Equal(expectedLogloss, result.Logloss, 6);
    }

    [Fact]
    public async Task Evaluate_BadLabel_NamesLine()
    {
        await File.WriteAllLinesAsync(_file, ["1 0:1:0.9", "yes 0:1:0.1"]);
        using var http = new HttpClient { BaseAddress = new Uri(_app.Urls.First()) };

        var error = await Assert.ThrowsAsync<InvalidDataException>(() => new PredictionEvaluator(http).EvaluateAsync("m", _file, 100, CancellationToken.None));

        Assert.Contains("Line 2", error.Message, StringComparison.Ordinal);
        Assert.Contains("'yes'", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Evaluate_EmptyFile_IsRejected()
    {
        await File.WriteAllTextAsync(_file, string.Empty);
        using var http = new HttpClient { BaseAddress = new Uri(_app.Urls.First()) };

        var error = await Assert.ThrowsAsync<InvalidDataException>(() => new PredictionEvaluator(http).EvaluateAsync("m", _file, 100, CancellationToken.None));

        Assert.Contains("has no rows", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Evaluate_WorkerError_IsReported()
    {
        await File.WriteAllLinesAsync(_file, ["1 0:1:not-a-number"]);
        using var http = new HttpClient { BaseAddress = new Uri(_app.Urls.First()) };

        var error = await Assert.ThrowsAsync<HttpRequestException>(() => new PredictionEvaluator(http).EvaluateAsync("m", _file, 100, CancellationToken.None));

        Assert.Contains("500", error.Message, StringComparison.Ordinal);
        Assert.Contains("rows 1-1", error.Message, StringComparison.Ordinal);
    }
}
