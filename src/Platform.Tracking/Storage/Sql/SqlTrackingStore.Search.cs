using System.Data.Common;
using System.Globalization;
using System.Text;
using Platform.Tracking.Model;
using Platform.Tracking.Search;

namespace Platform.Tracking.Storage.Sql;

internal sealed partial class SqlTrackingStore
{
    public async Task<Page<Run>> SearchRunsAsync(RunSearchQuery query, CancellationToken cancellationToken)
    {
        var experimentIds = SearchExperimentIds.Parse(query.ExperimentIds);
        if (experimentIds.Count == 0)
        {
            return new Page<Run>([], null);
        }

        await using var connection = await _dialect.OpenConnectionAsync(cancellationToken);
        await using var command = connection.CreateCommand(null, string.Empty);
        var search = new KeysetPageQuery(command);
        var joins = new StringBuilder();
        AddRunSortKeys(command, query.OrderBy, search.Paging, joins);

        search.Where($"r.experiment_id IN ({string.Join(", ", experimentIds.Select(id => command.Bind(id)))})");
        AddLifecycleCondition(command, "r.lifecycle_stage", query.ViewType, search.Where);
        foreach (var clause in query.Filter)
        {
            search.Where(RunFilterSql(command, clause));
        }

        var page = await search.ReadPageAsync(RunColumns, $"runs r{joins}", query.PageToken, query.MaxResults, reader => ReadRunInfo(reader), cancellationToken);
        var runs = page.Items.Count == 0 ? [] : await LoadRunDataAsync(connection, page.Items, cancellationToken);
        return new Page<Run>(runs, page.NextPageToken);
    }

    public async Task<Page<Experiment>> SearchExperimentsAsync(ExperimentSearchQuery query, CancellationToken cancellationToken)
    {
        await using var connection = await _dialect.OpenConnectionAsync(cancellationToken);
        await using var command = connection.CreateCommand(null, string.Empty);
        var paging = new KeysetPaging();
        var orderedById = false;
        foreach (var order in query.OrderBy)
        {
            var key = order.Identifier.Key;
            var type = key == "name" ? SortValueType.Text : SortValueType.Integer;
            paging.Add(new SortKey("e." + key, order.Ascending, type, Nullable: false), key);
            orderedById |= key == "experiment_id";
        }

        // MLflow's SQL store orders by creation_time DESC, experiment_id ASC by default, and otherwise breaks ties by experiment_id DESC.
        if (query.OrderBy.Count == 0)
        {
            paging.Add(new SortKey("e.creation_time", false, SortValueType.Integer, false), "creation_time");
            paging.Add(new SortKey("e.experiment_id", true, SortValueType.Integer, false), "experiment_id");
        }
        else if (!orderedById)
        {
            paging.Add(new SortKey("e.experiment_id", false, SortValueType.Integer, false), "experiment_id");
        }

        var where = new List<string>();
        AddLifecycleCondition(command, "e.lifecycle_stage", query.ViewType, where.Add);
        foreach (var clause in query.Filter)
        {
            where.Add(ExperimentFilterSql(command, clause));
        }

        if (!string.IsNullOrEmpty(query.PageToken))
        {
            where.Add(paging.AfterTokenSql(command, query.PageToken));
        }

        command.CommandText =
            $"SELECT {ExperimentColumns}, {paging.SelectSql()} FROM experiments e " +
            (where.Count > 0 ? $"WHERE {string.Join(" AND ", where)} " : string.Empty) +
            $"ORDER BY {paging.OrderBySql()} LIMIT {command.Bind(query.MaxResults + 1L)}";

        var experiments = await ReadExperimentsAsync(connection, command, cancellationToken);
        string? nextToken = null;
        if (experiments.Count > query.MaxResults)
        {
            experiments.RemoveAt(experiments.Count - 1);
            nextToken = await ExperimentTokenAsync(connection, paging, experiments[^1], cancellationToken);
        }

        return new Page<Experiment>(experiments, nextToken);
    }

    // Reads the sort values of the page's last experiment back from the database, so tokens share one encoding.
    private static async Task<string> ExperimentTokenAsync(DbConnection connection, KeysetPaging paging, Experiment last, CancellationToken cancellationToken)
    {
        await using var command = connection.CreateCommand(null, string.Empty);
        command.CommandText = $"SELECT {paging.SelectSql()} FROM experiments e WHERE e.experiment_id = {command.Bind(long.Parse(last.ExperimentId, CultureInfo.InvariantCulture))}";
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        await reader.ReadAsync(cancellationToken);
        return paging.CreateToken(reader, 0);
    }

    private static void AddRunSortKeys(DbCommand command, IReadOnlyList<OrderByClause> orderBy, KeysetPaging paging, StringBuilder joins)
    {
        var orderedByRunId = false;
        for (var i = 0; i < orderBy.Count; i++)
        {
            var order = orderBy[i];
            var identifier = order.Identifier;
            var alias = "o" + i.ToString(CultureInfo.InvariantCulture);
            switch (identifier.Kind)
            {
                case EntityKind.Metric:
                    joins.Append($" LEFT JOIN latest_metrics {alias} ON {alias}.run_uuid = r.run_uuid AND {alias}.key = {command.Bind(identifier.Key)}");

                    // As in MLflow, numbers come first in either direction, then NaN, then runs without the metric.
                    paging.Add(new SortKey($"(CASE WHEN {alias}.is_nan = 1 THEN 1 WHEN {alias}.value IS NULL THEN 2 ELSE 0 END)", true, SortValueType.Integer, false), "metrics.group." + identifier.Key);
                    paging.Add(new SortKey($"(CASE WHEN {alias}.is_nan = 1 THEN NULL ELSE {alias}.value END)", order.Ascending, SortValueType.Real, false), "metrics." + identifier.Key);
                    break;
                case EntityKind.Param:
                case EntityKind.Tag:
                    var table = identifier.Kind == EntityKind.Param ? "params" : "tags";
                    joins.Append($" LEFT JOIN {table} {alias} ON {alias}.run_uuid = r.run_uuid AND {alias}.key = {command.Bind(identifier.Key)}");
                    paging.Add(new SortKey($"{alias}.value", order.Ascending, SortValueType.Text, true), table + "." + identifier.Key);
                    break;
                default:
                    var (column, type, nullable) = RunAttributeColumn(identifier.Key);
                    paging.Add(new SortKey(column, order.Ascending, type, nullable), "attributes." + identifier.Key);
                    orderedByRunId |= identifier.Key == "run_id";
                    break;
            }
        }

        // MLflow breaks ties by start_time DESC, then run id.
        paging.Add(new SortKey("r.start_time", false, SortValueType.Integer, false), "tiebreak.start_time");
        if (!orderedByRunId)
        {
            paging.Add(new SortKey("r.run_uuid", true, SortValueType.Text, false), "tiebreak.run_id");
        }
    }

    private static (string Column, SortValueType Type, bool Nullable) RunAttributeColumn(string key) => key switch
    {
        "run_id" => ("r.run_uuid", SortValueType.Text, false),
        "run_name" => ("r.name", SortValueType.Text, false),
        "start_time" => ("r.start_time", SortValueType.Integer, false),
        "end_time" => ("r.end_time", SortValueType.Integer, true),
        _ => ("r." + key, SortValueType.Text, false),
    };

    private static void AddLifecycleCondition(DbCommand command, string column, ViewType viewType, Action<string> addCondition)
    {
        if (viewType == ViewType.ActiveOnly)
        {
            addCondition($"{column} = {command.Bind(LifecycleStage.Active)}");
        }
        else if (viewType == ViewType.DeletedOnly)
        {
            addCondition($"{column} = {command.Bind(LifecycleStage.Deleted)}");
        }
    }

    private string RunFilterSql(DbCommand command, FilterClause clause)
    {
        var identifier = clause.Identifier;
        var key = identifier.Key;
        switch (identifier.Kind)
        {
            case EntityKind.Metric:
                return $"EXISTS (SELECT 1 FROM latest_metrics m WHERE m.run_uuid = r.run_uuid AND m.key = {command.Bind(key)} " +
                    $"AND m.is_nan = 0 AND {CompareSql(command, "m.value", clause)})";
            case EntityKind.Param:
                return $"EXISTS (SELECT 1 FROM params p WHERE p.run_uuid = r.run_uuid AND p.key = {command.Bind(key)} AND {CompareSql(command, "p.value", clause)})";
            case EntityKind.Tag:
                return $"EXISTS (SELECT 1 FROM tags t WHERE t.run_uuid = r.run_uuid AND t.key = {command.Bind(key)} AND {CompareSql(command, "t.value", clause)})";
            case EntityKind.Dataset when key == "context":
                return "EXISTS (SELECT 1 FROM inputs i JOIN input_tags it ON it.input_uuid = i.input_uuid " +
                    $"WHERE i.destination_id = r.run_uuid AND it.name = {command.Bind("mlflow.data.context")} AND {CompareSql(command, "it.value", clause)})";
            case EntityKind.Dataset:
                return "EXISTS (SELECT 1 FROM inputs i JOIN datasets d ON d.dataset_uuid = i.source_id " +
                    $"WHERE i.destination_id = r.run_uuid AND {CompareSql(command, key == "name" ? "d.name" : "d.digest", clause)})";
            default:
                return CompareSql(command, RunAttributeColumn(key).Column, clause);
        }
    }

    private string ExperimentFilterSql(DbCommand command, FilterClause clause) =>
        clause.Identifier.Kind == EntityKind.Tag
            ? $"EXISTS (SELECT 1 FROM experiment_tags t WHERE t.experiment_id = e.experiment_id AND t.key = {command.Bind(clause.Identifier.Key)} " +
                $"AND {CompareSql(command, "t.value", clause)})"
            : CompareSql(command, "e." + clause.Identifier.Key, clause);

    /// <summary>Returns <c>expression comparator value</c> with the value bound as a parameter.</summary>
    private string CompareSql(DbCommand command, string expression, FilterClause clause)
    {
        var value = clause.Value;
        if (value.List is not null)
        {
            var list = string.Join(", ", value.List.Select(item => command.Bind(item)));
            return clause.Comparator == "IN" ? $"{expression} IN ({list})" : $"{expression} NOT IN ({list})";
        }

        object bound = value.Text is not null ? value.Text : NumberValue(value.Number!.Value);
        var parameter = command.Bind(bound);
        return clause.Comparator switch
        {
            "LIKE" => $"{expression} LIKE {parameter}",
            "ILIKE" => _dialect.IlikeSql(expression, parameter),
            "!=" => $"{expression} <> {parameter}",
            _ => $"{expression} {clause.Comparator} {parameter}",
        };
    }

    // Whole numbers bind as integers so comparisons with BIGINT time columns stay exact.
    private static object NumberValue(double number) =>
        number == Math.Floor(number) && Math.Abs(number) < 9e15 ? (long)number : number;
}
