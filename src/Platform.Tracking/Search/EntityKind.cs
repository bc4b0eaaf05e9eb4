namespace Platform.Tracking.Search;

/// <summary>The part of a run or experiment that a filter or order_by identifier names.</summary>
public enum EntityKind
{
    Attribute,
    Metric,
    Param,
    Tag,
    Dataset,
}
