using System.Net;
using System.Text.Json.Nodes;
using Platform.Gateway.Tests.Fixtures;

namespace Platform.Gateway.Tests;

/// <summary>{owner, collaborator, admin, other user, no credentials} × {IAP, OIDC, platform token} × {read, write, upload, download} on tenant alice.</summary>
public sealed class IsolationMatrixTests : IClassFixture<TwoTenantFixture>
{
    private readonly TwoTenantFixture _fixture;

    public IsolationMatrixTests(TwoTenantFixture fixture) => _fixture = fixture;

    public enum Role
    {
        Owner,
        Collaborator,
        Admin,
        OtherUser,
        Anonymous,
    }

    public enum Operation
    {
        Read,
        Write,
        ArtifactUpload,
        ArtifactDownload,
    }

    public static TheoryData<Role, AuthMethod, Operation> Cases()
    {
        var data = new TheoryData<Role, AuthMethod, Operation>();
        foreach (var role in Enum.GetValues<Role>())
        {
            foreach (var method in Enum.GetValues<AuthMethod>())
            {
                foreach (var operation in Enum.GetValues<Operation>())
                {
                    data.Add(role, method, operation);
                }
            }
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public async Task Access_matches_role(Role role, AuthMethod method, Operation operation)
    {
        var email = role switch
        {
            Role.Owner => TwoTenantFixture.Owner,
            Role.Collaborator => TwoTenantFixture.Collaborator,
            Role.Admin => GatewayHost.AdminEmail,
            Role.OtherUser => TwoTenantFixture.OtherUser,
            _ => null,
        };

        // Download needs an artifact in alice's store; it is placed there directly, not through the gateway.
        var artifactPath = $"matrix/{role}-{method}-{operation}.txt";
        _fixture.Alice.Artifacts[artifactPath] = "alice-secret-data"u8.ToArray();

        using var request = operation switch
        {
            Operation.Read => new HttpRequestMessage(HttpMethod.Get, "u/alice/api/2.0/mlflow/experiments/search?max_results=10"),
            Operation.Write => new HttpRequestMessage(HttpMethod.Post, "u/alice/api/2.0/mlflow/runs/create") { Content = new StringContent("{\"experiment_id\":\"0\"}") },
            Operation.ArtifactUpload => new HttpRequestMessage(HttpMethod.Put, $"u/alice/api/2.0/mlflow-artifacts/artifacts/{artifactPath}.upload") { Content = new ByteArrayContent("uploaded"u8.ToArray()) },
            _ => new HttpRequestMessage(HttpMethod.Get, $"u/alice/api/2.0/mlflow-artifacts/artifacts/{artifactPath}"),
        };
        _fixture.Authenticate(request, email, method);

        using var response = await _fixture.Gateway.Client.SendAsync(request);
        var body = await response.Content.ReadAsStringAsync();

        var expected = role switch
        {
            Role.Anonymous => HttpStatusCode.Unauthorized,
            Role.OtherUser => HttpStatusCode.Forbidden,
            _ => HttpStatusCode.OK,
        };
        Assert.True(expected == response.StatusCode, $"{role}/{method}/{operation}: expected {expected}, got {(int)response.StatusCode} {body}");

        if (expected != HttpStatusCode.OK)
        {
            Assert.Equal("application/json", response.Content.Headers.ContentType?.MediaType);
            var error = JsonNode.Parse(body)!;
            Assert.Equal(role == Role.Anonymous ? "UNAUTHENTICATED" : "PERMISSION_DENIED", error["error_code"]!.GetValue<string>());
            Assert.DoesNotContain("alice-secret-data", body, StringComparison.Ordinal);
            return;
        }

        switch (operation)
        {
            case Operation.ArtifactDownload:
                Assert.Equal("alice-secret-data", body);
                break;
            case Operation.ArtifactUpload:
                Assert.Equal("uploaded"u8.ToArray(), _fixture.Alice.Artifacts[artifactPath + ".upload"]);
                Assert.False(_fixture.Bob.Artifacts.ContainsKey(artifactPath + ".upload"));
                break;
            default:
                var echo = JsonNode.Parse(body)!;
                Assert.Equal("alice", echo["tenant"]!.GetValue<string>());
                Assert.Equal(email, echo["user"]!.GetValue<string>());
                break;
        }
    }

    [Fact]
    public async Task Bob_token_cannot_read_alice()
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, "u/alice/api/2.0/mlflow/experiments/search");
        _fixture.Authenticate(request, TwoTenantFixture.BobOwner, AuthMethod.PlatformToken);

        using var response = await _fixture.Gateway.Client.SendAsync(request);

        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
        var body = await response.Content.ReadAsStringAsync();
        Assert.Contains("User 'bob@lab.test' is not the owner or a collaborator of tenant 'alice'.", body, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Bob_reaches_only_bob_upstream()
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, "u/bob/api/2.0/mlflow/experiments/search");
        _fixture.Authenticate(request, TwoTenantFixture.BobOwner, AuthMethod.Oidc);

        using var response = await _fixture.Gateway.Client.SendAsync(request);
        var echo = JsonNode.Parse(await response.Content.ReadAsStringAsync())!;

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("bob", echo["tenant"]!.GetValue<string>());
        Assert.Equal("/api/2.0/mlflow/experiments/search", echo["path"]!.GetValue<string>());
    }
}
