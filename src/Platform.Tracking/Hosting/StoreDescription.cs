namespace Platform.Tracking.Hosting;

/// <summary>The backend store URI with its password removed, for logs.</summary>
internal sealed record StoreDescription(string Text);
