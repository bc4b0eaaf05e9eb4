using System.Diagnostics;
using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json.Nodes;
using Microsoft.Extensions.DependencyInjection;
using Platform.Gateway.Runtime;
using Platform.Gateway.Tests.Fixtures;
using Platform.Testing.Oidc;

namespace Platform.Gateway.Tests;

/// <summary>
/// The one-machine platform with real <c>Platform.Tracking</c> child processes: it must be built
/// (<c>dotnet build src/Platform.Tracking</c>) before these tests run.
/// </summary>
public sealed class LocalRuntimeTests : IAsyncLifetime
{
    private TestOidcProvider _provider = null!;
    private string _dataDirectory = null!;

    public async Task InitializeAsync()
    {
        _provider = await TestOidcProvider.StartAsync();
        _dataDirectory = Directory.CreateTempSubdirectory("gateway-local-").FullName;
    }

    public async Task DisposeAsync()
    {
        await _provider.DisposeAsync();
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        Directory.Delete(_dataDirectory, recursive: true);
    }

    [Fact]
    public async Task Tenants_get_isolated_tracking_servers()
    {
        await using var gateway = await StartLocalAsync();
        await CreateTenantAsync(gateway, "alice", "alice@lab.test");
        await CreateTenantAsync(gateway, "bob", "bob@lab.test");
        var alice = await gateway.CreateTokenAsync("alice@lab.test");
        var bob = await gateway.CreateTokenAsync("bob@lab.test");

        var created = await PostAsync(gateway, alice, "u/alice/api/2.0/mlflow/experiments/create", "{\"name\":\"alice-experiment\"}");
        var run = await PostAsync(gateway, alice, "u/alice/api/2.0/mlflow/runs/create", $"{{\"experiment_id\":\"{created["experiment_id"]}\"}}");
        var aliceSearch = await PostAsync(gateway, alice, "u/alice/api/2.0/mlflow/experiments/search", "{\"max_results\":100}");
        var bobSearch = await PostAsync(gateway, bob, "u/bob/api/2.0/mlflow/experiments/search", "{\"max_results\":100}");

        // The tracking server records the user only when the gateway secret matched.
        Assert.Equal("alice@lab.test", run["run"]!["info"]!["user_id"]!.GetValue<string>());
        Assert.Contains("alice-experiment", aliceSearch.ToJsonString(), StringComparison.Ordinal);
        Assert.DoesNotContain("alice-experiment", bobSearch.ToJsonString(), StringComparison.Ordinal);
        Assert.True(File.Exists(Path.Combine(_dataDirectory, "tenants", "alice", "tracking.db")));
    }

    [Fact]
    public async Task Real_servers_enforce_access_matrix()
    {
        await using var gateway = await StartLocalAsync();
        await CreateTenantAsync(gateway, "alice", "alice@lab.test", "carol@lab.test");
        var platformTokens = new Dictionary<string, string>();
        foreach (var user in new[] { "alice@lab.test", "carol@lab.test", GatewayHost.AdminEmail, "mallory@lab.test" })
        {
            platformTokens[user] = await gateway.CreateTokenAsync(user);
        }

        var users = new (string? Email, HttpStatusCode Expected)[]
        {
            ("alice@lab.test", HttpStatusCode.OK),
            ("carol@lab.test", HttpStatusCode.OK),
            (GatewayHost.AdminEmail, HttpStatusCode.OK),
            ("mallory@lab.test", HttpStatusCode.Forbidden),
            (null, HttpStatusCode.Unauthorized),
        };
        var attempt = 0;
        foreach (var (email, expected) in users)
        {
            foreach (var method in Enum.GetValues<AuthMethod>())
            {
                attempt++;
                using var write = new HttpRequestMessage(HttpMethod.Post, "u/alice/api/2.0/mlflow/experiments/create")
                {
                    Content = new StringContent($"{{\"name\":\"matrix-{attempt}\"}}", Encoding.UTF8, "application/json"),
                };
                using var read = new HttpRequestMessage(HttpMethod.Get, "u/alice/api/2.0/mlflow/experiments/search?max_results=1000");
                foreach (var request in new[] { write, read })
                {
                    switch (email, method)
                    {
                        case (null, _):
                            break;
                        case (_, AuthMethod.Iap):
                            request.Headers.Add("x-goog-iap-jwt-assertion", _provider.CreateIapAssertion(email));
                            break;
                        case (_, AuthMethod.Oidc):
                            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", _provider.CreateIdToken(email));
                            break;
                        default:
                            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", platformTokens[email]);
                            break;
                    }

                    using var response = await gateway.Client.SendAsync(request);
                    var body = await response.Content.ReadAsStringAsync();
                    Assert.True(expected == response.StatusCode, $"{email ?? "anonymous"}/{method}/{request.Method}: expected {expected}, got {(int)response.StatusCode} {body}");
                    if (expected != HttpStatusCode.OK)
                    {
                        Assert.DoesNotContain("matrix-", body, StringComparison.Ordinal);
                    }
                    else if (request == read)
                    {
                        Assert.Contains($"\"matrix-{attempt}\"", body, StringComparison.Ordinal);
                    }
                }
            }
        }
    }

    [Fact]
    public async Task Crashed_server_restarted()
    {
        await using var gateway = await StartLocalAsync();
        await CreateTenantAsync(gateway, "alice", "alice@lab.test");
        var token = await gateway.CreateTokenAsync("alice@lab.test");
        var runtime = gateway.App.Services.GetRequiredService<LocalTenantRuntime>();
        var firstProcessId = runtime.GetProcessId("alice")!.Value;

        using (var process = Process.GetProcessById(firstProcessId))
        {
            process.Kill();
        }

        var stopwatch = Stopwatch.StartNew();
        var status = HttpStatusCode.ServiceUnavailable;
        while (stopwatch.Elapsed < TimeSpan.FromSeconds(30))
        {
            if (runtime.GetProcessId("alice") is { } id && id != firstProcessId)
            {
                status = await GetStatusAsync(gateway, token, "u/alice/api/2.0/mlflow/experiments/search?max_results=10");
                if (status == HttpStatusCode.OK)
                {
                    break;
                }
            }

            await Task.Delay(200);
        }

        Assert.Equal(HttpStatusCode.OK, status);
        Assert.NotEqual(firstProcessId, runtime.GetProcessId("alice"));
    }

    [Fact]
    [System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
    public async Task Crash_loop_backs_off()
    {
        // A server that exits at once: each start appends a timestamp (ms) to starts.txt in the tenant folder.
        var script = Path.Combine(_dataDirectory, "crashing-server.sh");
        await File.WriteAllTextAsync(script, "#!/bin/sh\necho $(($(date +%s%N) / 1000000)) >> starts.txt\nexit 3\n");
        File.SetUnixFileMode(script, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        await using var gateway = await GatewayHost.StartAsync(_provider, new Dictionary<string, string?>
        {
            ["Gateway:Local"] = "true",
            ["Runtime:TrackingServerPath"] = script,
            ["Runtime:StartTimeout"] = "00:00:01",
            ["Runtime:InitialRestartDelay"] = "00:00:00.100",
            ["Runtime:MaxRestartDelay"] = "00:00:00.400",
        }, _dataDirectory);
        var token = await gateway.CreateTokenAsync("alice@lab.test");

        var (status, body) = await gateway.AdminAsync(HttpMethod.Post, "admin/v1/tenants", new { Name = "alice", Owner = "alice@lab.test" });
        await Task.Delay(TimeSpan.FromSeconds(2));
        var starts = (await File.ReadAllLinesAsync(Path.Combine(_dataDirectory, "tenants", "alice", "starts.txt"))).Select(long.Parse).ToArray();
        var gaps = starts.Zip(starts.Skip(1), (earlier, later) => later - earlier).ToArray();

        Assert.Equal(201, status);
        Assert.Equal("starting", body!["status"]!.GetValue<string>());
        Assert.True(starts.Length >= 4, $"Expected at least 4 starts, got {starts.Length}.");
        Assert.True(gaps[0] >= 100, $"First restart after {gaps[0]} ms, expected at least 100 ms.");
        Assert.True(gaps[^1] >= 400, $"Restart gaps {string.Join(", ", gaps)} ms did not grow to the 400 ms maximum.");
        Assert.Equal(HttpStatusCode.ServiceUnavailable, await GetStatusAsync(gateway, token, "u/alice/api/2.0/mlflow/experiments/search"));
    }

    [Fact]
    public async Task Shutdown_stops_children()
    {
        int processId;
        await using (var gateway = await StartLocalAsync())
        {
            await CreateTenantAsync(gateway, "alice", "alice@lab.test");
            processId = gateway.App.Services.GetRequiredService<LocalTenantRuntime>().GetProcessId("alice")!.Value;
            Assert.True(IsRunning(processId));
        }

        Assert.False(IsRunning(processId), $"Tracking server process {processId} still runs after the gateway stopped.");
    }

    [Fact]
    public async Task Deleted_tenant_stopped_and_archived()
    {
        await using var gateway = await StartLocalAsync();
        await CreateTenantAsync(gateway, "alice", "alice@lab.test");
        var token = await gateway.CreateTokenAsync("alice@lab.test");
        var processId = gateway.App.Services.GetRequiredService<LocalTenantRuntime>().GetProcessId("alice")!.Value;

        var (status, _) = await gateway.AdminAsync(HttpMethod.Delete, "admin/v1/tenants/alice");

        Assert.Equal(200, status);
        Assert.False(IsRunning(processId));
        Assert.False(Directory.Exists(Path.Combine(_dataDirectory, "tenants", "alice")));
        Assert.Single(Directory.GetDirectories(Path.Combine(_dataDirectory, "deleted-tenants"), "alice-*"));
        Assert.Equal(HttpStatusCode.NotFound, await GetStatusAsync(gateway, token, "u/alice/api/2.0/mlflow/experiments/search"));
    }

    [Fact]
    public async Task Tenant_data_survives_gateway_restart()
    {
        string token;
        await using (var first = await StartLocalAsync())
        {
            await CreateTenantAsync(first, "alice", "alice@lab.test");
            token = await first.CreateTokenAsync("alice@lab.test");
            await PostAsync(first, token, "u/alice/api/2.0/mlflow/experiments/create", "{\"name\":\"kept-experiment\"}");
        }

        await using var second = await StartLocalAsync();
        await second.App.Services.GetRequiredService<LocalTenantRuntime>().WaitForReadyAsync("alice", TimeSpan.FromSeconds(60), CancellationToken.None);
        var search = await PostAsync(second, token, "u/alice/api/2.0/mlflow/experiments/search", "{\"max_results\":100}");

        Assert.Contains("kept-experiment", search.ToJsonString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Ctrl_c_stops_gateway_and_children()
    {
        // Port 0 and the "Now listening on" log line avoid a race with other tests for a probed free port.
        var startInfo = new ProcessStartInfo("dotnet") { UseShellExecute = false, RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var argument in new[]
        {
            Path.Combine(AppContext.BaseDirectory, "Platform.Gateway.dll"), "--local", "--data-dir", _dataDirectory, "--urls", "http://127.0.0.1:0",
            "--tracking-server", TrackingServerLocator.Locate(null, AppContext.BaseDirectory),
        })
        {
            startInfo.ArgumentList.Add(argument);
        }

        var listening = new TaskCompletionSource<string>(TaskCreationOptions.RunContinuationsAsynchronously);
        using var gateway = Process.Start(startInfo)!;
        gateway.OutputDataReceived += (_, e) =>
        {
            const string marker = "Now listening on: ";
            if (e.Data?.Contains(marker, StringComparison.Ordinal) == true)
            {
                listening.TrySetResult(e.Data[(e.Data.IndexOf(marker, StringComparison.Ordinal) + marker.Length)..].Trim());
            }
        };
        gateway.ErrorDataReceived += (_, _) => { };
        gateway.BeginOutputReadLine();
        gateway.BeginErrorReadLine();
        try
        {
            var address = await listening.Task.WaitAsync(TimeSpan.FromSeconds(60));
            using var http = new HttpClient { BaseAddress = new Uri(address + "/") };
            await WaitForHealthAsync(http);
            http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", (await File.ReadAllTextAsync(Path.Combine(_dataDirectory, "admin-token"))).Trim());
            using var created = await http.PostAsync("admin/v1/tenants", new StringContent("{\"name\":\"alice\",\"owner\":\"alice@lab.test\"}", Encoding.UTF8, "application/json"));
            Assert.Equal(HttpStatusCode.Created, created.StatusCode);
            var children = FindProcessesMentioning(_dataDirectory).Where(id => id != gateway.Id).ToList();
            Assert.NotEmpty(children);

            // SIGINT is what a terminal sends on Ctrl-C.
            Assert.Equal(0, SendSignal(gateway.Id, 2));
            await gateway.WaitForExitAsync().WaitAsync(TimeSpan.FromSeconds(30));

            Assert.All(children, id => Assert.False(IsRunning(id), $"Tracking server process {id} still runs after Ctrl-C."));
        }
        finally
        {
            if (!gateway.HasExited)
            {
                gateway.Kill(entireProcessTree: true);
            }
        }
    }

    [Fact]
    public async Task Missing_tracking_server_reported()
    {
        var missing = Path.Combine(_dataDirectory, "no-such-server.dll");

        var error = await Assert.ThrowsAsync<FileNotFoundException>(() => GatewayHost.StartAsync(_provider, new Dictionary<string, string?>
        {
            ["Gateway:Local"] = "true",
            ["Runtime:TrackingServerPath"] = missing,
        }, _dataDirectory));

        Assert.Contains($"The tracking server '{missing}'", error.Message, StringComparison.Ordinal);
    }

    private Task<GatewayHost> StartLocalAsync() => GatewayHost.StartAsync(_provider, new Dictionary<string, string?>
    {
        ["Gateway:Local"] = "true",
        ["Runtime:TrackingServerPath"] = TrackingServerLocator.Locate(null, AppContext.BaseDirectory),
        ["Runtime:InitialRestartDelay"] = "00:00:00.200",
    }, _dataDirectory);

    private static async Task CreateTenantAsync(GatewayHost gateway, string name, string owner, params string[] collaborators)
    {
        var (status, body) = await gateway.AdminAsync(HttpMethod.Post, "admin/v1/tenants", new { Name = name, Owner = owner, Collaborators = collaborators });
        Assert.True(status == 201, $"Creating tenant {name} returned {status}: {body}");
        Assert.Equal("ready", body!["status"]!.GetValue<string>());
    }

    private static async Task<JsonNode> PostAsync(GatewayHost gateway, string token, string path, string json)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, path) { Content = new StringContent(json, Encoding.UTF8, "application/json") };
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        using var response = await gateway.Client.SendAsync(request);
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(response.IsSuccessStatusCode, $"POST {path} returned {(int)response.StatusCode}: {body}");
        return JsonNode.Parse(body)!;
    }

    private static async Task<HttpStatusCode> GetStatusAsync(GatewayHost gateway, string token, string path)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, path);
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        using var response = await gateway.Client.SendAsync(request);
        return response.StatusCode;
    }

    private static async Task WaitForHealthAsync(HttpClient http)
    {
        var stopwatch = Stopwatch.StartNew();
        while (stopwatch.Elapsed < TimeSpan.FromSeconds(30))
        {
            try
            {
                using var response = await http.GetAsync("healthz");
                if (response.IsSuccessStatusCode)
                {
                    return;
                }
            }
            catch (HttpRequestException)
            {
                // Not listening yet.
            }

            await Task.Delay(100);
        }

        Assert.Fail("The gateway did not become healthy within 30 s.");
    }

    // Tracking servers started by a gateway carry its data folder in their command line.
    private static List<int> FindProcessesMentioning(string text)
    {
        var result = new List<int>();
        foreach (var directory in Directory.EnumerateDirectories("/proc"))
        {
            if (!int.TryParse(Path.GetFileName(directory), out var id))
            {
                continue;
            }

            try
            {
                if (File.ReadAllText(Path.Combine(directory, "cmdline")).Replace('\0', ' ').Contains(text, StringComparison.Ordinal))
                {
                    result.Add(id);
                }
            }
            catch (IOException)
            {
                // The process exited while being read.
            }
            catch (UnauthorizedAccessException)
            {
                // Another user's process.
            }
        }

        return result;
    }

    [System.Runtime.InteropServices.DllImport("libc", EntryPoint = "kill")]
    private static extern int SendSignal(int processId, int signal);

    private static bool IsRunning(int processId)
    {
        try
        {
            using var process = Process.GetProcessById(processId);
            return !process.HasExited;
        }
        catch (ArgumentException)
        {
            return false;
        }
    }
}
