using Platform.Tracking.Api;
using Platform.Tracking.Search;
using Platform.Tracking.Storage.Sql;

namespace Platform.Tracking.Registry.Traces;

/// <summary>Checks traces/search filters and order_by entries, and maps attribute names to columns.</summary>
internal static class TraceSearchRules
{
    private static readonly string[] TextAttributes = ["status", "state", "trace_id", "request_id", "client_request_id", "name", "run_id"];

    private static readonly string[] NumericAttributes = ["timestamp_ms", "timestamp", "execution_time_ms", "execution_duration"];

    private static readonly string[] OrderableAttributes = ["timestamp_ms", "timestamp", "execution_time_ms", "status", "state"];

    public static IReadOnlyList<FilterClause> ParseFilter(string? filter) =>
        SearchExpressionParser.ParseFilter(filter, traceIdentifiers: true).Select(Check).ToList();

    public static IReadOnlyList<OrderByClause> ParseOrderBy(IEnumerable<string> orderBy) =>
        orderBy.Select(entry => SearchExpressionParser.ParseOrderBy(entry, traceIdentifiers: true)).Select(CheckOrder).ToList();

    /// <summary>Returns the column of a plain attribute; <c>name</c> and <c>run_id</c> are matched through joins instead.</summary>
    public static (string Expression, SortValueType Type) Column(string attribute) => attribute switch
    {
        "status" or "state" => ("t.state", SortValueType.Text),
        "trace_id" or "request_id" => ("t.trace_id", SortValueType.Text),
        "client_request_id" => ("t.client_request_id", SortValueType.Text),
        "execution_time_ms" or "execution_duration" => ("t.execution_duration", SortValueType.Integer),
        _ => ("t.request_time", SortValueType.Integer),
    };

    private static FilterClause Check(FilterClause clause)
    {
        var identifier = clause.Identifier;
        if (identifier.Kind is EntityKind.Tag or EntityKind.Metadata
            || (identifier.Kind == EntityKind.Attribute && TextAttributes.Contains(identifier.Key)))
        {
            var what = identifier.Kind.ToString().ToLowerInvariant();
            SearchRuleChecks.RequireComparator(clause, Comparators.TextOrList, what);
            SearchRuleChecks.RequireValueShape(clause, numeric: false, what);
            return clause;
        }

        if (identifier.Kind == EntityKind.Attribute && NumericAttributes.Contains(identifier.Key))
        {
            SearchRuleChecks.RequireComparator(clause, Comparators.Numeric, "attribute");
            SearchRuleChecks.RequireValueShape(clause, numeric: true, "attribute");
            return clause;
        }

        throw TrackingException.InvalidParameter(
            $"Invalid filter identifier '{identifier.Key}' for traces: filter on attributes.status, attributes.timestamp_ms, " +
            "attributes.execution_time_ms, attributes.client_request_id, attributes.name, attributes.run_id, tags.<key> or metadata.<key>.");
    }

    private static OrderByClause CheckOrder(OrderByClause clause)
    {
        if (clause.Identifier.Kind != EntityKind.Attribute || !OrderableAttributes.Contains(clause.Identifier.Key))
        {
            throw TrackingException.InvalidParameter(
                $"Invalid order_by identifier '{clause.Identifier.Key}' for traces. Use one of: {string.Join(", ", OrderableAttributes)}.");
        }

        return clause;
    }
}
