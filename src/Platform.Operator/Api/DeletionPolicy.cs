using System.Text.Json.Serialization;

namespace Platform.Operator.Api;

/// <summary>What happens to the tenant's schema, role and bucket prefix when its TrackingServer is deleted.</summary>
[JsonConverter(typeof(JsonStringEnumConverter<DeletionPolicy>))]
public enum DeletionPolicy
{
    /// <summary>Keep the schema, the role and the objects under the prefix; an Event records that they were kept.</summary>
    Retain,

    /// <summary>Drop the schema and the role and delete every object under the prefix.</summary>
    Delete,
}
