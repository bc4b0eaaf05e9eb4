namespace Platform.Tracking.Search;

/// <summary>The comparator sets that MLflow allows per value type.</summary>
internal static class Comparators
{
    public static readonly string[] Numeric = ["=", "!=", "<", "<=", ">", ">="];

    public static readonly string[] Text = ["=", "!=", "LIKE", "ILIKE"];

    public static readonly string[] TextOrList = ["=", "!=", "LIKE", "ILIKE", "IN", "NOT IN"];

    public static bool IsList(string comparator) => comparator is "IN" or "NOT IN";
}
