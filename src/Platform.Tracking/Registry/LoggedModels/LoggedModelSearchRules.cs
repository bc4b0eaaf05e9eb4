using Platform.Tracking.Api;
using Platform.Tracking.Search;
using Platform.Tracking.Storage.Sql;

namespace Platform.Tracking.Registry.LoggedModels;

/// <summary>Checks logged-models/search filters and order fields, and maps attribute names to columns.</summary>
internal static class LoggedModelSearchRules
{
    private static readonly string[] TextAttributes = ["name", "model_id", "model_type", "status", "source_run_id"];

    private static readonly string[] NumericAttributes = ["creation_timestamp", "creation_time", "last_updated_timestamp"];

    public static IReadOnlyList<FilterClause> ParseFilter(string? filter) =>
        SearchExpressionParser.ParseFilter(filter).Select(Check).ToList();

    /// <summary>Returns the column and value type of an attribute; callers pass only names that passed the checks.</summary>
    public static (string Expression, SortValueType Type) Column(string attribute) => attribute switch
    {
        "name" => ("lm.name", SortValueType.Text),
        "model_id" => ("lm.model_id", SortValueType.Text),
        "model_type" => ("lm.model_type", SortValueType.Text),
        "status" => ("lm.status", SortValueType.Text),
        "source_run_id" => ("lm.source_run_id", SortValueType.Text),
        "last_updated_timestamp" => ("lm.last_updated_time", SortValueType.Integer),
        _ => ("lm.creation_time", SortValueType.Integer),
    };

    /// <summary>Checks one order_by entry's field_name, which MLflow 3 sends as an object rather than a string.</summary>
    public static OrderByClause CheckOrder(string fieldName, bool ascending)
    {
        var key = fieldName.StartsWith("attributes.", StringComparison.Ordinal) ? fieldName["attributes.".Length..] : fieldName;
        if (!TextAttributes.Contains(key) && !NumericAttributes.Contains(key))
        {
            throw TrackingException.InvalidParameter(
                $"Invalid order_by field_name '{fieldName}' for logged models. Use one of: {string.Join(", ", TextAttributes.Concat(NumericAttributes))}.");
        }

        return new OrderByClause(new Identifier(EntityKind.Attribute, key), ascending);
    }

    private static FilterClause Check(FilterClause clause)
    {
        var identifier = clause.Identifier;
        if (identifier.Kind is EntityKind.Param or EntityKind.Tag
            || (identifier.Kind == EntityKind.Attribute && TextAttributes.Contains(identifier.Key)))
        {
            SearchRuleChecks.RequireComparator(clause, Comparators.TextOrList, identifier.Kind.ToString().ToLowerInvariant());
            SearchRuleChecks.RequireValueShape(clause, numeric: false, identifier.Kind.ToString().ToLowerInvariant());
            return clause;
        }

        if (identifier.Kind == EntityKind.Attribute && NumericAttributes.Contains(identifier.Key))
        {
            SearchRuleChecks.RequireComparator(clause, Comparators.Numeric, "attribute");
            SearchRuleChecks.RequireValueShape(clause, numeric: true, "attribute");
            return clause;
        }

        if (identifier.Kind == EntityKind.Metric)
        {
            SearchRuleChecks.RequireComparator(clause, Comparators.Numeric, "metric");
            SearchRuleChecks.RequireValueShape(clause, numeric: true, "metric");
            return clause;
        }

        throw TrackingException.InvalidParameter(
            $"Invalid filter identifier '{identifier.Key}' for logged models: filter on name, model_type, status, source_run_id, " +
            "creation_timestamp, last_updated_timestamp, metrics.<key>, params.<key> or tags.<key>.");
    }
}
