using Platform.Gateway.Hosting;

var app = await GatewayApplication.BuildAsync(args);
await app.RunAsync();
