using System.Globalization;

namespace Platform.Tracking.Storage.Sql;

/// <summary>The experiment ids of a search request, as the BIGINT keys that the experiments table stores.</summary>
internal static class SearchExperimentIds
{
    /// <summary>
    /// Parses <paramref name="ids"/> and drops duplicates. An id that is not a plain run of decimal digits is dropped
    /// too, because no stored experiment has such an id.
    /// </summary>
    public static List<long> Parse(IEnumerable<string> ids) => ids
        .Select(id => long.TryParse(id, NumberStyles.None, CultureInfo.InvariantCulture, out var value) ? value : (long?)null)
        .OfType<long>()
        .Distinct()
        .ToList();
}
