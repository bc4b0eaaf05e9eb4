using Platform.Workers.Inference;

await using var app = InferenceApp.Build(args);
await app.RunAsync();
