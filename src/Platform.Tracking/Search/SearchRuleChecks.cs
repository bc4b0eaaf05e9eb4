using Platform.Tracking.Api;

namespace Platform.Tracking.Search;

/// <summary>Shared checks that a clause's comparator and value fit the identifier's type.</summary>
internal static class SearchRuleChecks
{
    public static void RequireComparator(FilterClause clause, string[] allowed, string what)
    {
        if (!allowed.Contains(clause.Comparator))
        {
            throw TrackingException.InvalidParameter(
                $"Invalid comparator '{clause.Comparator}' for {what} '{clause.Identifier.Key}'. Allowed: {string.Join(", ", allowed)}.");
        }
    }

    public static void RequireValueShape(FilterClause clause, bool numeric, string what)
    {
        var value = clause.Value;
        if (Comparators.IsList(clause.Comparator))
        {
            if (value.List is null)
            {
                throw TrackingException.InvalidParameter(
                    $"Invalid value {value} for {what} '{clause.Identifier.Key}': {clause.Comparator} needs a list of quoted strings such as ('a', 'b').");
            }

            return;
        }

        if (numeric && value.Number is null)
        {
            throw TrackingException.InvalidParameter(
                $"Invalid value {value} for {what} '{clause.Identifier.Key}': expected an unquoted number.");
        }

        if (!numeric && value.Text is null)
        {
            throw TrackingException.InvalidParameter(
                $"Invalid value {value} for {what} '{clause.Identifier.Key}': expected a quoted string.");
        }
    }
}
