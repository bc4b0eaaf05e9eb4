using Platform.Tracking.Api;

namespace Platform.Tracking.Search;

/// <summary>Checks experiments/search filters (name, times and tags) and order_by entries.</summary>
internal static class ExperimentSearchRules
{
    public static readonly string[] NumericAttributes = ["creation_time", "last_update_time"];

    public static readonly string[] OrderableAttributes = ["name", "experiment_id", "creation_time", "last_update_time"];

    /// <summary>Parses and checks an experiments/search filter.</summary>
    public static IReadOnlyList<FilterClause> ParseFilter(string? filter) =>
        SearchExpressionParser.ParseFilter(filter).Select(Check).ToList();

    /// <summary>Parses and checks experiments/search order_by entries.</summary>
    public static IReadOnlyList<OrderByClause> ParseOrderBy(IEnumerable<string> orderBy) =>
        orderBy.Select(SearchExpressionParser.ParseOrderBy).Select(CheckOrder).ToList();

    private static FilterClause Check(FilterClause clause)
    {
        var identifier = clause.Identifier;
        if (identifier.Kind == EntityKind.Tag)
        {
            SearchRuleChecks.RequireComparator(clause, Comparators.Text, "tag");
            SearchRuleChecks.RequireValueShape(clause, numeric: false, "tag");
            return clause;
        }

        if (identifier.Kind != EntityKind.Attribute)
        {
            throw TrackingException.InvalidParameter(
                $"Invalid identifier '{identifier.Key}' in experiment filter: only attributes and tags can be filtered.");
        }

        if (identifier.Key == "name")
        {
            SearchRuleChecks.RequireComparator(clause, Comparators.Text, "attribute");
            SearchRuleChecks.RequireValueShape(clause, numeric: false, "attribute");
            return clause;
        }

        if (!NumericAttributes.Contains(identifier.Key))
        {
            throw TrackingException.InvalidParameter(
                $"Invalid attribute key '{identifier.Key}' in experiment filter. Use name, creation_time or last_update_time.");
        }

        SearchRuleChecks.RequireComparator(clause, Comparators.Numeric, "attribute");
        SearchRuleChecks.RequireValueShape(clause, numeric: true, "attribute");
        return clause;
    }

    private static OrderByClause CheckOrder(OrderByClause clause)
    {
        if (clause.Identifier.Kind != EntityKind.Attribute || !OrderableAttributes.Contains(clause.Identifier.Key))
        {
            throw TrackingException.InvalidParameter(
                $"Invalid order_by identifier '{clause.Identifier.Key}' for experiments. Use one of: {string.Join(", ", OrderableAttributes)}.");
        }

        return clause;
    }
}
