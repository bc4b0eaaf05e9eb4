using System.Text.Json;

namespace Platform.Tracking.Client.Tests;

public sealed class JsonContractTests
{
    [Fact]
    public void MissingLists_DeserializeAsEmpty()
    {
        var runs = JsonSerializer.Deserialize("{}", MlflowJsonContext.Default.SearchRunsResponse)!;
        var listing = JsonSerializer.Deserialize("{}", MlflowJsonContext.Default.ListArtifactsResponse)!;
        var run = JsonSerializer.Deserialize("""{"run":{"info":{"run_id":"r","experiment_id":"0"}}}""", MlflowJsonContext.Default.GetRunResponse)!;

        Assert.Empty(runs.Runs);
        Assert.Empty(listing.Files);
        Assert.Empty(run.Run.Data.Metrics);
    }

    [Fact]
    public async Task MissingResponseField_IsInvalidResponse()
    {
        await using var server = await RecordingServer.StartAsync();
        server.OnJson("POST", "/api/2.0/mlflow/experiments/create", "{}");
        using var client = TestClients.Create(server);

        var error = await Assert.ThrowsAsync<MlflowException>(() => client.Experiments.CreateAsync("e"));

        Assert.Equal(MlflowErrorCodes.InvalidResponse, error.ErrorCode);
        Assert.Contains("experiment_id", error.ServerMessage, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ErrorWithoutMessage_KeepsErrorCode()
    {
        await using var server = await RecordingServer.StartAsync();
        server.OnJson("POST", "/api/2.0/mlflow/experiments/create", """{"error_code":"RESOURCE_ALREADY_EXISTS"}""", 400);
        using var client = TestClients.Create(server);

        var error = await Assert.ThrowsAsync<MlflowException>(() => client.Experiments.CreateAsync("e"));

        Assert.Equal("RESOURCE_ALREADY_EXISTS", error.ErrorCode);
    }
}
