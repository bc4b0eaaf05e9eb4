using Microsoft.AspNetCore.Http;
using System.Net;

namespace Platform.Tracking.Client.Tests;

public sealed class ExperimentWireTests
{
    [Fact]
    public async Task CreateExperiment_SendsMlflowRequest()
    {
        await using var server = await RecordingServer.StartAsync("/u/alice");
        server.OnJson("POST", "/api/2.0/mlflow/experiments/create", """{"experiment_id":"7"}""");
        using var client = TestClients.Create(server);

        var id = await client.Experiments.CreateAsync("churn", tags: new Dictionary<string, string> { ["team"] = "ads" });

        Assert.Equal("7", id);
        var request = Assert.Single(server.Requests);
        Assert.Equal("POST", request.Method);
        Assert.Equal("/u/alice/api/2.0/mlflow/experiments/create", request.Path);
        Assert.Equal("Bearer test-token", request.Header("Authorization"));
        Assert.StartsWith("application/json", request.Header("Content-Type"), StringComparison.Ordinal);
        Assert.Equal("""{"name":"churn","tags":[{"key":"team","value":"ads"}]}""", request.Body);
    }

    [Fact]
    public async Task GetByName_ReturnsNullWhenMissing()
    {
        await using var server = await RecordingServer.StartAsync();
        server.OnJson("GET", "/api/2.0/mlflow/experiments/get-by-name",
            """{"error_code":"RESOURCE_DOES_NOT_EXIST","message":"Could not find experiment with name 'a b&c'"}""", 404);
        using var client = TestClients.Create(server);

        var experiment = await client.Experiments.GetByNameAsync("a b&c");

        Assert.Null(experiment);
        var request = Assert.Single(server.Requests);
        Assert.Equal(["a b&c"], request.Query("experiment_name"));
    }

    [Fact]
    public async Task GetByName_ParsesExperiment()
    {
        await using var server = await RecordingServer.StartAsync();
        server.OnJson("GET", "/api/2.0/mlflow/experiments/get-by-name",
            """{"experiment":{"experiment_id":"3","name":"e","artifact_location":"mlflow-artifacts:/3","lifecycle_stage":"active","creation_time":"1700000000000","tags":[{"key":"k","value":"v"}]}}""");
        using var client = TestClients.Create(server);

        var experiment = await client.Experiments.GetByNameAsync("e");

        Assert.NotNull(experiment);
        Assert.Equal("3", experiment.ExperimentId);
        Assert.Equal(1700000000000, experiment.CreationTime);
        Assert.Equal(new ExperimentTag("k", "v"), Assert.Single(experiment.Tags));
    }

    [Fact]
    public async Task GetOrCreate_CreatesMissingExperiment()
    {
        await using var server = await RecordingServer.StartAsync();
        server.OnJson("GET", "/api/2.0/mlflow/experiments/get-by-name", """{"error_code":"RESOURCE_DOES_NOT_EXIST","message":"no"}""", 404);
        server.OnJson("POST", "/api/2.0/mlflow/experiments/create", """{"experiment_id":"12"}""");
        using var client = TestClients.Create(server);

        var id = await client.Experiments.GetOrCreateAsync("new");

        Assert.Equal("12", id);
        Assert.Equal(["GET", "POST"], server.Requests.Select(r => r.Method));
    }

    [Fact]
    public async Task GetOrCreate_RereadsAfterConcurrentCreate()
    {
        await using var server = await RecordingServer.StartAsync();
        var lookups = 0;
        server.On("GET", "/api/2.0/mlflow/experiments/get-by-name", (context, _) =>
            Interlocked.Increment(ref lookups) == 1
                ? RecordingServer.WriteJsonAsync(context, """{"error_code":"RESOURCE_DOES_NOT_EXIST","message":"no"}""", 404)
                : RecordingServer.WriteJsonAsync(context, """{"experiment":{"experiment_id":"5","name":"race"}}"""));
        server.OnJson("POST", "/api/2.0/mlflow/experiments/create", """{"error_code":"RESOURCE_ALREADY_EXISTS","message":"exists"}""", 400);
        using var client = TestClients.Create(server);

        var id = await client.Experiments.GetOrCreateAsync("race");

        Assert.Equal("5", id);
        Assert.Equal(2, lookups);
    }

    [Fact]
    public async Task SearchExperiments_SendsFilterAndPaging()
    {
        await using var server = await RecordingServer.StartAsync();
        server.OnJson("POST", "/api/2.0/mlflow/experiments/search",
            """{"experiments":[{"experiment_id":"1","name":"a"}],"next_page_token":"tok2"}""");
        using var client = TestClients.Create(server);

        var page = await client.Experiments.SearchAsync("name LIKE 'a%'", ["name ASC"], maxResults: 10, pageToken: "tok1");

        Assert.Equal("tok2", page.NextPageToken);
        Assert.Equal("a", Assert.Single(page.Experiments).Name);
        Assert.Equal(
            """{"max_results":10,"page_token":"tok1","filter":"name LIKE \u0027a%\u0027","order_by":["name ASC"],"view_type":"ACTIVE_ONLY"}""",
            Assert.Single(server.Requests).Body);
    }

    [Fact]
    public async Task ErrorBody_BecomesMlflowException()
    {
        await using var server = await RecordingServer.StartAsync();
        server.OnJson("POST", "/api/2.0/mlflow/experiments/create",
            """{"error_code":"INVALID_PARAMETER_VALUE","message":"Experiment name is too long"}""", 400);
        using var client = TestClients.Create(server);

        var error = await Assert.ThrowsAsync<MlflowException>(() => client.Experiments.CreateAsync("x"));

        Assert.Equal("INVALID_PARAMETER_VALUE", error.ErrorCode);
        Assert.Equal(HttpStatusCode.BadRequest, error.StatusCode);
        Assert.Equal("Experiment name is too long", error.ServerMessage);
        Assert.Contains("/api/2.0/mlflow/experiments/create", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task NonJsonNotFound_IsEndpointNotFound()
    {
        await using var server = await RecordingServer.StartAsync();
        server.On("GET", "/api/2.0/mlflow/experiments/get", async (context, _) =>
        {
            context.Response.StatusCode = 404;
            await context.Response.WriteAsync("<html>not here</html>");
        });
        using var client = TestClients.Create(server);

        var error = await Assert.ThrowsAsync<MlflowException>(() => client.Experiments.GetAsync("1"));

        Assert.Equal("ENDPOINT_NOT_FOUND", error.ErrorCode);
        Assert.Equal(HttpStatusCode.NotFound, error.StatusCode);
        Assert.Contains("not here", error.ServerMessage, StringComparison.Ordinal);
    }

    [Fact]
    public async Task HtmlSuccessBody_IsInvalidResponse()
    {
        await using var server = await RecordingServer.StartAsync();
        server.On("GET", "/api/2.0/mlflow/experiments/get", async (context, _) =>
        {
            context.Response.ContentType = "text/html";
            await context.Response.WriteAsync("<html>Sign in</html>");
        });
        using var client = TestClients.Create(server);

        var error = await Assert.ThrowsAsync<MlflowException>(() => client.Experiments.GetAsync("1"));

        Assert.Equal(MlflowErrorCodes.InvalidResponse, error.ErrorCode);
        Assert.Contains("<html>Sign in", error.ServerMessage, StringComparison.Ordinal);
    }

    [Fact]
    public async Task BasicCredentials_WinOverToken()
    {
        await using var server = await RecordingServer.StartAsync();
        server.OnJson("GET", "/api/2.0/mlflow/experiments/get", """{"experiment":{"experiment_id":"1","name":"a"}}""");
        using var client = TestClients.Create(server, o =>
        {
            o.Username = "alice";
            o.Password = "s3cret";
        });

        await client.Experiments.GetAsync("1");

        Assert.Equal("Basic YWxpY2U6czNjcmV0", Assert.Single(server.Requests).Header("Authorization"));
    }

    [Fact]
    public async Task NoCredentials_SendsNoAuthorization()
    {
        await using var server = await RecordingServer.StartAsync();
        server.OnJson("GET", "/api/2.0/mlflow/experiments/get", """{"experiment":{"experiment_id":"1","name":"a"}}""");
        using var client = TestClients.Create(server, o => o.Token = null);

        await client.Experiments.GetAsync("1");

        Assert.Null(Assert.Single(server.Requests).Header("Authorization"));
    }
}
