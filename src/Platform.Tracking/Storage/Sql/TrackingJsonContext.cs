using System.Text.Json.Serialization;

namespace Platform.Tracking.Storage.Sql;

/// <summary>Source-generated JSON metadata for the store's own small documents.</summary>
[JsonSerializable(typeof(PageTokenBody))]
internal sealed partial class TrackingJsonContext : JsonSerializerContext;
