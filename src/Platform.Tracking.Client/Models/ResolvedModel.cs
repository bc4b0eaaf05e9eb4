namespace Platform.Tracking.Client;

/// <summary>A model version and the local folder that contains its downloaded files.</summary>
public sealed record ResolvedModel(ModelVersion Version, string LocalPath);
