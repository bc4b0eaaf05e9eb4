using Platform.Tracking.Api;
using Platform.Tracking.Search;

namespace Platform.Tracking.Registry.Search;

/// <summary>Checks registered-models/search filters (name and tags) and order_by entries, as MLflow's SearchModelUtils does.</summary>
internal static class RegisteredModelSearchRules
{
    /// <summary>Order keys; <c>timestamp</c> is MLflow's older name for <c>last_updated_timestamp</c>.</summary>
    public static readonly string[] OrderableAttributes = ["name", "creation_timestamp", "last_updated_timestamp", "timestamp"];

    public static IReadOnlyList<FilterClause> ParseFilter(string? filter) =>
        SearchExpressionParser.ParseFilter(filter).Select(Check).ToList();

    public static IReadOnlyList<OrderByClause> ParseOrderBy(IEnumerable<string> orderBy) =>
        orderBy.Select(SearchExpressionParser.ParseOrderBy).Select(CheckOrder).ToList();

    private static FilterClause Check(FilterClause clause)
    {
        var identifier = clause.Identifier;
        if (identifier.Kind == EntityKind.Tag || (identifier.Kind == EntityKind.Attribute && identifier.Key == "name"))
        {
            var what = identifier.Kind == EntityKind.Tag ? "tag" : "attribute";
            SearchRuleChecks.RequireComparator(clause, Comparators.Text, what);
            SearchRuleChecks.RequireValueShape(clause, numeric: false, what);
            return clause;
        }

        throw TrackingException.InvalidParameter(
            $"Invalid filter identifier '{identifier.Key}' for registered models: filter on name or tags.<key>, for example name LIKE '%ranker%'.");
    }

    private static OrderByClause CheckOrder(OrderByClause clause)
    {
        if (clause.Identifier.Kind != EntityKind.Attribute || !OrderableAttributes.Contains(clause.Identifier.Key))
        {
            throw TrackingException.InvalidParameter(
                $"Invalid order_by identifier '{clause.Identifier.Key}' for registered models. Use one of: {string.Join(", ", OrderableAttributes)}.");
        }

        return clause;
    }
}
