using Microsoft.Extensions.Options;
using Platform.Gateway.Hosting;

if (args.Any(arg => arg is "--help" or "-h"))
{
    Console.WriteLine(GatewayCommandLine.Usage);
    return 0;
}

WebApplication app;
try
{
    app = await GatewayApplication.BuildAsync(args);
}
catch (OptionsValidationException ex)
{
    // A configuration mistake is the operator's to fix, so it gets a message and exit code 2, not a stack trace.
    await Console.Error.WriteLineAsync($"error: invalid gateway configuration: {string.Join(" ", ex.Failures)}\n\n{GatewayCommandLine.Usage}");
    return 2;
}

await using (app)
{
    await app.RunAsync();
}

return 0;
