using Platform.Tracking.Api;
using Platform.Tracking.Search;

namespace Platform.Tracking.Registry.Search;

/// <summary>Checks model-versions/search filters and order_by entries, as MLflow's SearchModelVersionUtils does.</summary>
internal static class ModelVersionSearchRules
{
    /// <summary>Attributes compared as text; <c>source_path</c> is the version's source URI.</summary>
    public static readonly string[] TextAttributes = ["name", "source_path"];

    /// <summary>Attributes compared by equality or list membership.</summary>
    public static readonly string[] IdAttributes = ["run_id", "model_id"];

    public static readonly string[] OrderableAttributes = ["name", "version_number", "creation_timestamp", "last_updated_timestamp", "timestamp"];

    private static readonly string[] IdComparators = ["=", "!=", "IN", "NOT IN"];

    public static IReadOnlyList<FilterClause> ParseFilter(string? filter) =>
        SearchExpressionParser.ParseFilter(filter).Select(Check).ToList();

    public static IReadOnlyList<OrderByClause> ParseOrderBy(IEnumerable<string> orderBy) =>
        orderBy.Select(SearchExpressionParser.ParseOrderBy).Select(CheckOrder).ToList();

    private static FilterClause Check(FilterClause clause)
    {
        var identifier = clause.Identifier;
        if (identifier.Kind == EntityKind.Tag || (identifier.Kind == EntityKind.Attribute && TextAttributes.Contains(identifier.Key)))
        {
            var what = identifier.Kind == EntityKind.Tag ? "tag" : "attribute";
            SearchRuleChecks.RequireComparator(clause, Comparators.Text, what);
            SearchRuleChecks.RequireValueShape(clause, numeric: false, what);
            return clause;
        }

        if (identifier.Kind == EntityKind.Attribute && IdAttributes.Contains(identifier.Key))
        {
            SearchRuleChecks.RequireComparator(clause, IdComparators, "attribute");
            SearchRuleChecks.RequireValueShape(clause, numeric: false, "attribute");
            return clause;
        }

        if (identifier.Kind == EntityKind.Attribute && identifier.Key == "version_number")
        {
            SearchRuleChecks.RequireComparator(clause, Comparators.Numeric, "attribute");
            SearchRuleChecks.RequireValueShape(clause, numeric: true, "attribute");
            return clause;
        }

        throw TrackingException.InvalidParameter(
            $"Invalid filter identifier '{identifier.Key}' for model versions: filter on name, run_id, model_id, source_path, version_number or tags.<key>.");
    }

    private static OrderByClause CheckOrder(OrderByClause clause)
    {
        if (clause.Identifier.Kind != EntityKind.Attribute || !OrderableAttributes.Contains(clause.Identifier.Key))
        {
            throw TrackingException.InvalidParameter(
                $"Invalid order_by identifier '{clause.Identifier.Key}' for model versions. Use one of: {string.Join(", ", OrderableAttributes)}.");
        }

        return clause;
    }
}
