using Microsoft.Extensions.Configuration;
using Platform.Gateway.Tests.Fixtures;
using Platform.Testing.Oidc;

namespace Platform.Gateway.Tests.Hosting;

/// <summary>Where the gateway reads its settings and writes its DataProtection keys.</summary>
public sealed class GatewayHostingDefaultsTests : IAsyncLifetime
{
    private TestOidcProvider _provider = null!;
    private GatewayHost _gateway = null!;

    public async Task InitializeAsync()
    {
        _provider = await TestOidcProvider.StartAsync();
        _gateway = await GatewayHost.StartAsync(_provider);
    }

    public async Task DisposeAsync()
    {
        await _gateway.DisposeAsync();
        await _provider.DisposeAsync();
    }

    [Fact]
    public void Content_root_is_assembly_folder()
    {
        var contentRoot = Path.TrimEndingDirectorySeparator(_gateway.App.Environment.ContentRootPath);

        Assert.Equal(Path.TrimEndingDirectorySeparator(AppContext.BaseDirectory), contentRoot);
    }

    [Theory]
    [InlineData("Yarp.ReverseProxy.Health.ActiveHealthCheckMonitor", "Warning")]
    [InlineData("Yarp.ReverseProxy.Health", "Information")]
    [InlineData("Microsoft.AspNetCore", "Warning")]
    public void Appsettings_log_levels_apply(string category, string expected)
    {
        var level = _gateway.App.Configuration[$"Logging:LogLevel:{category}"];

        Assert.Equal(expected, level);
    }

    [Fact]
    public void DataProtection_keys_in_data_folder()
    {
        var keyDirectory = Path.Combine(_gateway.DataDirectory, "data-protection-keys");

        Assert.True(Directory.Exists(keyDirectory), $"{keyDirectory} was not created.");
        Assert.NotEmpty(Directory.GetFiles(keyDirectory, "key-*.xml"));
    }
}
