using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
using Platform.Models.Ffm.Data;
using Platform.Models.Ffm.Model;
using Platform.Models.Ffm.Training;
using Platform.Testing;
using Platform.Workers.Inference;
using Platform.Workers.Tests.Infrastructure;
using Platform.Workers.Training.Ffm;

namespace Platform.Workers.Tests.Inference;

/// <summary>
/// Starts the inference worker on 127.0.0.1 against a real tracking server that contains two versions
/// of <c>frappe-ffm</c>, trained by the training job, with the alias <c>production</c> on version 1.
/// </summary>
public sealed class InferenceWorkerFixture : IAsyncLifetime
{
    public const string ModelName = "frappe-ffm";
    private readonly TrackingServerFixture _server = new();
    private WebApplication? _worker;

    public TrackingServerFixture Server => _server;

    public HttpClient Http { get; private set; } = null!;

    public FfmModel Version1 { get; private set; } = null!;

    public FfmModel Version2 { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        await _server.InitializeAsync();
        await TrainVersionAsync(epochs: 1);
        await TrainVersionAsync(epochs: 4);
        await _server.Client.Registry.SetAliasAsync(ModelName, "production", "1");
        Version1 = await LoadVersionAsync("1");
        Version2 = await LoadVersionAsync("2");

        _worker = InferenceApp.Build(
        [
            "--urls", "http://127.0.0.1:0",
            "--model", $"models:/{ModelName}@production",
            "--Inference:PollInterval", "00:00:00.200",
            "--Tracking:TrackingUri", _server.BaseAddress.ToString(),
            "--Tracking:ModelCacheDirectory", Path.Combine(_server.Folder, "worker-cache"),
        ]);
        await _worker.StartAsync();
        var address = _worker.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        Http = new HttpClient { BaseAddress = new Uri(address) };
        await WaitUntilReadyAsync();
    }

    public async Task DisposeAsync()
    {
        Http?.Dispose();
        if (_worker is not null)
        {
            await _worker.StopAsync();
            await _worker.DisposeAsync();
        }

        Version1?.Dispose();
        Version2?.Dispose();
        await _server.DisposeAsync();
    }

    private async Task TrainVersionAsync(int epochs)
    {
        var arguments = new TrainFfmArguments
        {
            TrainPath = RepositoryPaths.Sample("frappe.test.ffm"),
            Training = new FfmTrainingOptions { Epochs = epochs, LatentDimension = 4 },
            Experiment = "inference-tests",
            RegisteredModelName = ModelName,
            OutputDirectory = Path.Combine(_server.Folder, $"train-{epochs}"),
        };
        await new FfmTrainingJob(_server.Client, NullLogger<FfmTrainingJob>.Instance, TextWriter.Null, interactive: false).RunAsync(arguments, CancellationToken.None);
    }

    private async Task<FfmModel> LoadVersionAsync(string version)
    {
        var downloaded = await _server.Client.Models.DownloadAsync($"models:/{ModelName}/{version}");
        return await FfmModelFile.LoadAsync(Path.Combine(downloaded.LocalPath, FfmTrainingJob.ModelFileName), CancellationToken.None);
    }

private async Task WaitUntilReadyAsync()
    {
        var deadline = DateTime.UtcNow.AddSeconds(30);
        while (DateTime.UtcNow < deadline)
        {
            using var response = await Http.GetAsync("/readyz");
            if (response.IsSuccessStatusCode)
            {
                return;
            }

            await Task.Delay(100);
        }

        throw new TimeoutException("The inference worker did not become ready within 30 s.");
    }
}

/// <summary>Prediction requests, errors and alias moves against the worker of <see cref="InferenceWorkerFixture"/>.</summary>
public sealed class InferenceWorkerTests(InferenceWorkerFixture fixture) : IClassFixture<InferenceWorkerFixture>
{
    private const string ModelName = InferenceWorkerFixture.ModelName;
    private const string TextRows = "0:1:1 1:2:1 2:3:1\n1 0:4:1 1:5:1 2:6:1\n";

    [Fact]
    public async Task TextRowsArePredicted()
    {
        var response = await fixture.Http.PostAsync($"/v1/models/{ModelName}/predict", new StringContent(TextRows, Encoding.UTF8, "text/plain"));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var predictions = await ReadPredictionsAsync(response);
        Assert.Equal(Expected(fixture.Version1), predictions);
    }

    [Fact]
    public async Task JsonInstancesArePredicted()
    {
        const string body = """{"instances":[[{"field":0,"feature":1,"value":1},{"field":1,"feature":2,"value":1},{"field":2,"feature":3,"value":1}],[{"field":0,"feature":4,"value":1},{"field":1,"feature":5,"value":1},{"field":2,"feature":6,"value":1}]]}""";

        var response = await fixture.Http.PostAsync($"/v1/models/{ModelName}/predict", new StringContent(body, Encoding.UTF8, "application/json"));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(Expected(fixture.Version1), await ReadPredictionsAsync(response));
    }

    [Theory]
    [InlineData("text/plain", "0:1:1 1:x:1", "request body, line 1")]
    [InlineData("text/plain", "", "contains no rows")]
    [InlineData("text/plain", "0:1:1 99:2:1", "field 99 but the model has m = 10 fields")]
    [InlineData("application/json", """{"instances":[[{"field":-1,"feature":2,"value":1}]]}""", "must be non-negative ids")]
    [InlineData("application/json", """{"instances":[]}""", "The request has no instances")]
    [InlineData("application/json", """{"instances": oops""", "is an invalid")]
    public async Task BadRowsGetClearErrors(string contentType, string body, string message)
    {
        var response = await fixture.Http.PostAsync($"/v1/models/{ModelName}/predict", new StringContent(body, Encoding.UTF8, contentType));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var error = await response.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal("INVALID_PARAMETER_VALUE", error.GetProperty("error_code").GetString());
        Assert.Contains(message, error.GetProperty("message").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task UnknownModelNameIsNotFound()
    {
        var response = await fixture.Http.PostAsync("/v1/models/other/predict", new StringContent(TextRows, Encoding.UTF8, "text/plain"));

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
    }

    [Fact]
    public async Task ErrorMessageKeepsApostrophes()
    {
        var response = await fixture.Http.PostAsync("/v1/models/other/predict", new StringContent(TextRows, Encoding.UTF8, "text/plain"));
        var body = await response.Content.ReadAsStringAsync();

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.Contains("Model 'other' is not served here", body, StringComparison.Ordinal);
        Assert.DoesNotContain("\\u0027", body, StringComparison.Ordinal);
    }

    [Fact]
    public async Task UnsupportedContentTypeIsRejected()
    {
        var response = await fixture.Http.PostAsync($"/v1/models/{ModelName}/predict", new StringContent("<rows/>", Encoding.UTF8, "application/xml"));

        Assert.Equal(HttpStatusCode.UnsupportedMediaType, response.StatusCode);
    }

    [Fact]
    public async Task AliasMoveSwapsWithoutFailedRequests()
    {
        var expected1 = Expected(fixture.Version1);
        var expected2 = Expected(fixture.Version2);
        Assert.NotEqual(expected1, expected2);

        await fixture.Server.Client.Registry.SetAliasAsync(ModelName, "production", "2");
        var deadline = DateTime.UtcNow.AddSeconds(20);
        var requests = 0;
        float[] predictions;
        do
        {
            var response = await fixture.Http.PostAsync($"/v1/models/{ModelName}/predict", new StringContent(TextRows, Encoding.UTF8, "text/plain"));
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            predictions = await ReadPredictionsAsync(response);
            Assert.True(predictions.SequenceEqual(expected1) || predictions.SequenceEqual(expected2), "a response mixed two model versions");
            requests++;
        }
        while (!predictions.SequenceEqual(expected2) && DateTime.UtcNow < deadline);

        Assert.Equal(expected2, predictions);
        Assert.True(requests > 0);

        // Other tests expect version 1, so the alias goes back and the worker must follow it.
        await fixture.Server.Client.Registry.SetAliasAsync(ModelName, "production", "1");
        deadline = DateTime.UtcNow.AddSeconds(20);
        do
        {
            var response = await fixture.Http.PostAsync($"/v1/models/{ModelName}/predict", new StringContent(TextRows, Encoding.UTF8, "text/plain"));
            predictions = await ReadPredictionsAsync(response);
        }
        while (!predictions.SequenceEqual(expected1) && DateTime.UtcNow < deadline);

        Assert.Equal(expected1, predictions);
    }

    private static float[] Expected(FfmModel model)
    {
        var problem = FfmTextParser.Parse("0 " + TextRows, "expected");
        return [model.Predict(problem.Row(0)), model.Predict(problem.Row(1))];
    }

    private static async Task<float[]> ReadPredictionsAsync(HttpResponseMessage response)
    {
        var body = await response.Content.ReadFromJsonAsync<JsonElement>();
        return [.. body.GetProperty("predictions").EnumerateArray().Select(value => value.GetSingle())];
    }
}
