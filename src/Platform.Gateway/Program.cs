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
catch (ArgumentException ex)
{
    await Console.Error.WriteLineAsync($"error: {ex.Message}\n\n{GatewayCommandLine.Usage}");
    return 2;
}
catch (DataDirectoryInUseException ex)
{
    await Console.Error.WriteLineAsync($"error: {ex.Message}");
    return 1;
}
catch (OptionsValidationException ex)
{
    // A configuration mistake is the operator's to fix, so it gets a message and exit code 2, not a stack trace.
    await Console.Error.WriteLineAsync($"error: invalid gateway configuration: {string.Join(" ", ex.Failures)}\n\n{GatewayCommandLine.Usage}");
    return 2;
}

await using (app)
{
    try
    {
        await app.RunAsync();
    }
    catch (Exception ex) when (ex is IOException or FileNotFoundException or FormatException or InvalidOperationException)
    {
        // Start-up failures (a busy port, a missing tracking server build, a bad --urls) are the operator's to fix.
        await Console.Error.WriteLineAsync($"error: the gateway failed to start: {ex.Message}");
        return 1;
    }
}

return 0;
