namespace Platform.Gateway.Runtime;

/// <summary>Resolved locations for the local runtime: the data folder and the tracking server program.</summary>
internal sealed record LocalRuntimePaths(string DataDirectory, string TrackingServerPath);
