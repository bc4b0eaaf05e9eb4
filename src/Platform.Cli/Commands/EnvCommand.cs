using System.CommandLine;
using Platform.Cli.Gateway;
using Platform.Cli.Login;

namespace Platform.Cli.Commands;

/// <summary>
/// <c>labctl env &lt;tenant&gt;</c>: checks the tenant and the token with the gateway, then prints the MLflow
/// environment variables for the tenant as shell exports.
/// </summary>
internal static class EnvCommand
{
    public static Command Create(GlobalOptions global, CliEnvironment environment)
    {
        var tenant = new Argument<string>("tenant") { Description = "Tenant name." };
        var token = new Option<string?>("--token") { Description = "Token to export (default: your ID token from 'labctl login', which expires within an hour)." };
        var command = new Command("env", "Check that the tenant exists and accepts the token, then print 'export MLFLOW_TRACKING_URI=...' and 'export MLFLOW_TRACKING_TOKEN=...' for it; use with eval.") { tenant, token };
        command.SetAction((parseResult, cancellationToken) => CliRunner.RunAsync(environment, async () =>
        {
            var settings = global.Resolve(parseResult, environment);
            var name = parseResult.GetValue(tenant)!;
            TenantNameArgument.Validate(name);

            using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(30) };
            var value = parseResult.GetValue(token);
            if (value is not null && (value.Length == 0 || value.Any(c => char.IsWhiteSpace(c) || char.IsControl(c))))
            {
                throw new CliException("Invalid --token: it is empty or contains spaces or control characters, which no platform or ID token has.", ExitCodes.InvalidArguments);
            }

            if (value is null)
            {
                var source = new IdTokenSource(new CredentialStore(environment), new DeviceFlowClient(http, environment), environment);
                value = await source.GetAsync(cancellationToken);
            }

            // Export lines for a missing tenant or a rejected token would only fail later, inside the MLflow client.
            await TenantAccessCheck.RunAsync(http, settings.GatewayUrl, name, value, environment, cancellationToken);

            var trackingUri = new Uri(settings.GatewayUrl, "u/" + name).AbsoluteUri;
            await environment.Out.WriteLineAsync($"export MLFLOW_TRACKING_URI={ShellQuote(trackingUri)}");
            await environment.Out.WriteLineAsync($"export MLFLOW_TRACKING_TOKEN={ShellQuote(value)}");
        }));
        return command;
    }

    // Single quotes keep every character literal in POSIX shells; a single quote itself is closed, escaped and reopened.
    internal static string ShellQuote(string value) => "'" + value.Replace("'", "'\\''", StringComparison.Ordinal) + "'";
}
