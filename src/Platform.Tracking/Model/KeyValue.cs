namespace Platform.Tracking.Model;

/// <summary>A tag or param: a key and its string value.</summary>
public sealed record KeyValue(string Key, string Value);
