using Platform.Cli;

using var cancellation = new CancellationTokenSource();
Console.CancelKeyPress += (_, e) =>
{
    e.Cancel = true;
    cancellation.Cancel();
};

return await LabctlApp.RunAsync(args, CliEnvironment.FromProcess(), cancellation.Token);
