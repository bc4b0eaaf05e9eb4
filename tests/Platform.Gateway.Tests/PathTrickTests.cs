using System.Text.Json.Nodes;
using Platform.Gateway.Routing;
using Platform.Gateway.Tests.Fixtures;

namespace Platform.Gateway.Tests;

/// <summary>Path tricks sent on the wire with alice's token must neither reach bob's server nor be misrouted.</summary>
public sealed class PathTrickTests : IClassFixture<TwoTenantFixture>
{
    private readonly TwoTenantFixture _fixture;

    public PathTrickTests(TwoTenantFixture fixture) => _fixture = fixture;

    [Theory]
    [InlineData("/u/alice/../bob/api/2.0/mlflow/experiments/search")]
    [InlineData("/u/alice/%2e%2e/bob/api/2.0/mlflow/experiments/search")]
    [InlineData("/u/alice/%2E%2E/bob/api/2.0/mlflow/experiments/search")]
    [InlineData("/u/alice/./api/2.0/mlflow/experiments/search")]
    [InlineData("/u/alice%2Fbob/api/2.0/mlflow/experiments/search")]
    [InlineData("/u/alice%2fbob/api/2.0/mlflow/experiments/search")]
    [InlineData("/u/alice/..%2Fbob/api/2.0/mlflow/experiments/search")]
    [InlineData("/u/alice/%5C..%5Cbob/api/2.0/mlflow/experiments/search")]
    [InlineData("/u/alice/u/bob/api/2.0/mlflow/experiments/search")]
    [InlineData("/u/alice/U/bob/api/2.0/mlflow/experiments/search")]
    [InlineData("/u/Alice/api/2.0/mlflow/experiments/search")]
    [InlineData("/u/ALICE/api/2.0/mlflow/experiments/search")]
    [InlineData("/U/alice/api/2.0/mlflow/experiments/search")]
    [InlineData("/u/%61lice/api/2.0/mlflow/experiments/search")]
    [InlineData("/u//alice/api/2.0/mlflow/experiments/search")]
    [InlineData("/u/alice//api/2.0/mlflow/experiments/search")]
    [InlineData("/u/bob/../alice/api/2.0/mlflow/experiments/search")]
    public async Task Path_trick_rejected(string target)
    {
        var (status, body) = await RawHttp.SendAsync(_fixture.Gateway.Address, "GET", target, "Bearer " + _fixture.PlatformToken(TwoTenantFixture.Owner));

        Assert.True(status == 400, $"{target}: expected 400, got {status} {body}");
        Assert.Contains("INVALID_PARAMETER_VALUE", body, StringComparison.Ordinal);
        Assert.DoesNotContain("\"tenant\":\"bob\"", body, StringComparison.Ordinal);
        Assert.DoesNotContain("\"tenant\":\"alice\"", body, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Plain_path_still_routed()
    {
        var (status, body) = await RawHttp.SendAsync(_fixture.Gateway.Address, "GET", "/u/alice/api/2.0/mlflow/experiments/search", "Bearer " + _fixture.PlatformToken(TwoTenantFixture.Owner));

        Assert.Equal(200, status);
        Assert.Contains("\"tenant\":\"alice\"", body, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Alice_token_on_bob_forbidden()
    {
        var (status, body) = await RawHttp.SendAsync(_fixture.Gateway.Address, "GET", "/u/bob/api/2.0/mlflow/experiments/search", "Bearer " + _fixture.PlatformToken(TwoTenantFixture.Owner));

        Assert.Equal(403, status);
        Assert.DoesNotContain("\"tenant\":\"bob\"", body, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("/u/alice/api/2.0/mlflow/runs/get", null)]
    [InlineData("/u/alice", null)]
    [InlineData("/u/alice/", null)]
    [InlineData("/api/2.0/mlflow/runs/get", null)]
    [InlineData("/u/alice/../bob", "'.' and '..' segments")]
    [InlineData("/u/a%2fb/x", "encoded slashes")]
    [InlineData("/u/-alice/x", "Invalid tenant name '-alice'")]
    [InlineData("/u/alice/u/x", "second '/u/' prefix")]
    public void Guard_check_reports_reason(string rawPath, string? expectedFragment)
    {
        var problem = TenantPathGuardMiddleware.Check(rawPath);

        if (expectedFragment is null)
        {
            Assert.Null(problem);
        }
        else
        {
            Assert.NotNull(problem);
            Assert.Contains(expectedFragment, problem, StringComparison.Ordinal);
        }
    }

    [Fact]
    public async Task Rejection_body_is_mlflow_json()
    {
        var (_, body) = await RawHttp.SendAsync(_fixture.Gateway.Address, "GET", "/u/alice/../bob/x", "Bearer " + _fixture.PlatformToken(TwoTenantFixture.Owner));

        var json = JsonNode.Parse(body)!;
        Assert.Equal("INVALID_PARAMETER_VALUE", json["error_code"]!.GetValue<string>());
        Assert.Contains("'/u/alice/../bob/x'", json["message"]!.GetValue<string>(), StringComparison.Ordinal);
    }
}
