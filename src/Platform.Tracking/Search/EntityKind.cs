namespace Platform.Tracking.Search;

/// <summary>The part of a run or experiment that a filter or order_by identifier names.</summary>
public enum EntityKind
{
    Attribute,
    Metric,
    Param,
    Tag,
    Dataset,

    /// <summary>A trace's request metadata, named <c>metadata.&lt;key&gt;</c> or <c>request_metadata.&lt;key&gt;</c>.</summary>
    Metadata,
}
