using Platform.Tracking.Api;

namespace Platform.Tracking.Search;

/// <summary>
/// Checks and normalises runs/search filters and order_by entries: which identifiers exist, which comparators
/// each accepts, and MLflow's attribute aliases (<c>created</c> is start_time, <c>run name</c> is run_name).
/// </summary>
internal static class RunSearchRules
{
    public static readonly string[] NumericAttributes = ["start_time", "end_time"];

    public static readonly string[] TextAttributes = ["run_id", "run_name", "status", "user_id", "artifact_uri", "lifecycle_stage"];

    public static readonly string[] DatasetKeys = ["name", "digest", "context"];

    /// <summary>Parses and checks a runs/search filter.</summary>
    public static IReadOnlyList<FilterClause> ParseFilter(string? filter) =>
        SearchExpressionParser.ParseFilter(filter).Select(Check).ToList();

    /// <summary>Parses and checks runs/search order_by entries.</summary>
    public static IReadOnlyList<OrderByClause> ParseOrderBy(IEnumerable<string> orderBy) =>
        orderBy.Select(SearchExpressionParser.ParseOrderBy).Select(CheckOrder).ToList();

    private static FilterClause Check(FilterClause clause)
    {
        var identifier = Normalize(clause.Identifier);
        clause = clause with { Identifier = identifier };
        switch (identifier.Kind)
        {
            case EntityKind.Metric:
                SearchRuleChecks.RequireComparator(clause, Comparators.Numeric, "metric");
                SearchRuleChecks.RequireValueShape(clause, numeric: true, "metric");
                break;
            case EntityKind.Param:
                SearchRuleChecks.RequireComparator(clause, Comparators.Text, "param");
                SearchRuleChecks.RequireValueShape(clause, numeric: false, "param");
                break;
            case EntityKind.Tag:
                SearchRuleChecks.RequireComparator(clause, Comparators.Text, "tag");
                SearchRuleChecks.RequireValueShape(clause, numeric: false, "tag");
                break;
            case EntityKind.Dataset:
                if (!DatasetKeys.Contains(identifier.Key))
                {
                    throw TrackingException.InvalidParameter(
                        $"Invalid dataset key '{identifier.Key}' in filter. Use one of: {string.Join(", ", DatasetKeys)}.");
                }

                SearchRuleChecks.RequireComparator(clause, Comparators.TextOrList, "dataset key");
                SearchRuleChecks.RequireValueShape(clause, numeric: false, "dataset key");
                break;
            default:
                var numeric = NumericAttributes.Contains(identifier.Key);
                SearchRuleChecks.RequireComparator(clause, numeric ? Comparators.Numeric : Comparators.TextOrList, "attribute");
                SearchRuleChecks.RequireValueShape(clause, numeric, "attribute");
                break;
        }

        return clause;
    }

    private static OrderByClause CheckOrder(OrderByClause clause)
    {
        var identifier = Normalize(clause.Identifier);
        if (identifier.Kind == EntityKind.Dataset)
        {
            throw TrackingException.InvalidParameter(
                $"Invalid order_by identifier 'datasets.{identifier.Key}': runs cannot be ordered by datasets.");
        }

        return clause with { Identifier = identifier };
    }

    private static Identifier Normalize(Identifier identifier)
    {
        if (identifier.Kind != EntityKind.Attribute)
        {
            return identifier;
        }

        var key = identifier.Key switch
        {
            "created" or "Created" => "start_time",
            "run name" or "Run name" or "Run Name" => "run_name",
            "run_uuid" => "run_id",
            _ => identifier.Key,
        };
        if (!NumericAttributes.Contains(key) && !TextAttributes.Contains(key))
        {
            throw TrackingException.InvalidParameter(
                $"Invalid attribute key '{identifier.Key}'. Use one of: {string.Join(", ", NumericAttributes.Concat(TextAttributes))}, created, run name.");
        }

        return identifier with { Key = key };
    }
}
