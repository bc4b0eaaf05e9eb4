using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace Platform.Tracking.Client.Tests;

public sealed class OptionsTests
{
    [Fact]
    public void FromEnvironment_ReadsMlflowVariables()
    {
        var variables = new Dictionary<string, string>
        {
            ["MLFLOW_TRACKING_URI"] = "http://127.0.0.1:8080/u/alice",
            ["MLFLOW_TRACKING_TOKEN"] = "tok",
            ["MLFLOW_TRACKING_USERNAME"] = "alice",
            ["MLFLOW_TRACKING_PASSWORD"] = "pw",
            ["MLFLOW_HTTP_REQUEST_MAX_RETRIES"] = "7",
            ["MLFLOW_HTTP_REQUEST_TIMEOUT"] = "30",
        };

        var options = TrackingClientOptions.FromEnvironment(name => variables.GetValueOrDefault(name));

        Assert.Equal(new Uri("http://127.0.0.1:8080/u/alice"), options.TrackingUri);
        Assert.Equal("tok", options.Token);
        Assert.Equal("alice", options.Username);
        Assert.Equal("pw", options.Password);
        Assert.Equal(7, options.MaxRetries);
        Assert.Equal(TimeSpan.FromSeconds(30), options.RequestTimeout);
    }

    [Fact]
    public void FromEnvironment_KeepsDefaultsWhenUnset()
    {
        var options = TrackingClientOptions.FromEnvironment(_ => null);

        Assert.Null(options.TrackingUri);
        Assert.Null(options.Token);
        Assert.Equal(5, options.MaxRetries);
    }

    [Theory]
    [InlineData("file:///tmp/mlruns")]
    [InlineData("databricks")]
    [InlineData("http://host/x?y=1")]
    public void FromEnvironment_RejectsUnsupportedUri(string uri)
    {
        var error = Assert.Throws<InvalidOperationException>(() =>
            TrackingClientOptions.FromEnvironment(name => name == "MLFLOW_TRACKING_URI" ? uri : null));

        Assert.Contains(uri, error.Message, StringComparison.Ordinal);
        Assert.Contains("MLFLOW_TRACKING_URI", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void FromEnvironment_RejectsInvalidRetryCount()
    {
        var error = Assert.Throws<InvalidOperationException>(() =>
            TrackingClientOptions.FromEnvironment(name => name == "MLFLOW_HTTP_REQUEST_MAX_RETRIES" ? "many" : null));

        Assert.Contains("MLFLOW_HTTP_REQUEST_MAX_RETRIES 'many'", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Validate_RequiresTrackingUri()
    {
        var error = Assert.Throws<InvalidOperationException>(() => new TrackingClient(new TrackingClientOptions()));

        Assert.Contains("MLFLOW_TRACKING_URI", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(0)]
    [InlineData(1001)]
    public void Validate_RejectsBatchSizeOutsideMlflowLimit(int batchSize)
    {
        var options = new TrackingClientOptions { TrackingUri = new Uri("http://127.0.0.1:1"), MaxMetricsPerBatch = batchSize };

        var error = Assert.Throws<InvalidOperationException>(options.Validate);

        Assert.Contains($"MaxMetricsPerBatch is {batchSize}", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task DependencyInjection_BindsConfiguration()
    {
        await using var server = await RecordingServer.StartAsync("/u/carol");
        server.OnJson("GET", "/api/2.0/mlflow/experiments/get", """{"experiment":{"experiment_id":"1","name":"a"}}""");
        var configuration = new ConfigurationBuilder()
            .AddInMemoryCollection(new Dictionary<string, string?>
            {
                ["Tracking:TrackingUri"] = server.TrackingUri.ToString(),
                ["Tracking:Token"] = "from-config",
            })
            .Build();
        var services = new ServiceCollection();
        services.AddTrackingClient(configuration);
        await using var provider = services.BuildServiceProvider();

        var client = provider.GetRequiredService<TrackingClient>();
        await client.Experiments.GetAsync("1");

        var request = Assert.Single(server.Requests);
        Assert.Equal("/u/carol/api/2.0/mlflow/experiments/get", request.Path);
        Assert.Equal("Bearer from-config", request.Header("Authorization"));
    }
}
