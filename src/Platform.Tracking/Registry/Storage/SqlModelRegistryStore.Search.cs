using System.Data.Common;
using Platform.Tracking.Model;
using Platform.Tracking.Registry.Model;
using Platform.Tracking.Search;
using Platform.Tracking.Storage.Sql;

namespace Platform.Tracking.Registry.Storage;

internal sealed partial class SqlModelRegistryStore
{
    /// <summary>
    /// Tag that marks a prompt. MLflow 3 clients exclude prompts with <c>tags.`mlflow.prompt.is_prompt` != 'true'</c>,
    /// which must also match models without the tag, so != on this key matches a missing tag.
    /// </summary>
    private const string PromptTagKey = "mlflow.prompt.is_prompt";

    public async Task<Page<RegisteredModel>> SearchRegisteredModelsAsync(RegistrySearchQuery query, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(query);

        await using var connection = await _dialect.OpenConnectionAsync(cancellationToken);
        await using var command = connection.CreateCommand(null, string.Empty);
        var search = new KeysetPageQuery(command);
        foreach (var clause in query.OrderBy)
        {
            var (expression, type) = clause.Identifier.Key switch
            {
                "name" => ("rm.name", SortValueType.Text),
                "creation_timestamp" => ("rm.creation_time", SortValueType.Integer),
                _ => ("rm.last_updated_time", SortValueType.Integer),
            };
            search.Paging.Add(new SortKey(expression, clause.Ascending, type, false), expression);
        }

        // Ties break by name, which is unique, so every page boundary is exact.
        if (!query.OrderBy.Any(clause => clause.Identifier.Key == "name"))
        {
            search.Paging.Add(new SortKey("rm.name", true, SortValueType.Text, false), "rm.name");
        }

        foreach (var clause in query.Filter)
        {
            search.Where(clause.Identifier.Kind == EntityKind.Tag
                ? TagFilterSql(command, clause, "registered_model_tags t", "t.name = rm.name")
                : CompareSql(command, "rm.name", clause));
        }

        var page = await search.ReadPageAsync(ModelColumns, "registered_models rm", query.PageToken, query.MaxResults, ReadModelRow, cancellationToken);
        return new Page<RegisteredModel>(await LoadModelsAsync(connection, page.Items, cancellationToken), page.NextPageToken);
    }

    public async Task<Page<ModelVersion>> SearchModelVersionsAsync(RegistrySearchQuery query, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(query);

        await using var connection = await _dialect.OpenConnectionAsync(cancellationToken);
        await using var command = connection.CreateCommand(null, string.Empty);
        var search = new KeysetPageQuery(command);
        var orderBy = query.OrderBy.Count > 0
            ? query.OrderBy
            : [new OrderByClause(new Identifier(EntityKind.Attribute, "last_updated_timestamp"), false)];
        foreach (var clause in orderBy)
        {
            var (expression, type) = clause.Identifier.Key switch
            {
                "name" => ("mv.name", SortValueType.Text),
                "version_number" => ("mv.version", SortValueType.Integer),
                "creation_timestamp" => ("mv.creation_time", SortValueType.Integer),
                _ => ("mv.last_updated_time", SortValueType.Integer),
            };
            search.Paging.Add(new SortKey(expression, clause.Ascending, type, false), expression);
        }

        // MLflow breaks ties by name ascending, then version descending; (name, version) is unique.
        if (!orderBy.Any(clause => clause.Identifier.Key == "name"))
        {
            search.Paging.Add(new SortKey("mv.name", true, SortValueType.Text, false), "mv.name");
        }

        if (!orderBy.Any(clause => clause.Identifier.Key == "version_number"))
        {
            search.Paging.Add(new SortKey("mv.version", false, SortValueType.Integer, false), "mv.version");
        }

        search.Where(NotDeleted);
        foreach (var clause in query.Filter)
        {
            search.Where(VersionFilterSql(command, clause));
        }

        var page = await search.ReadPageAsync(VersionColumns, "model_versions mv", query.PageToken, query.MaxResults, ReadVersion, cancellationToken);
        return new Page<ModelVersion>(await AttachVersionDetailsAsync(connection, page.Items, cancellationToken), page.NextPageToken);
    }

    private string VersionFilterSql(DbCommand command, FilterClause clause)
    {
        if (clause.Identifier.Kind == EntityKind.Tag)
        {
            return TagFilterSql(command, clause, "model_version_tags t", "t.name = mv.name AND t.version = mv.version");
        }

        return clause.Identifier.Key switch
        {
            "name" => CompareSql(command, "mv.name", clause),
            "source_path" => CompareSql(command, "mv.source", clause),
            "run_id" => CompareSql(command, "mv.run_id", clause),
            "model_id" => CompareSql(command, "mv.model_id", clause),
            _ => $"mv.version {clause.Comparator} {command.Bind(clause.Value.Number!.Value)}",
        };
    }

    /// <summary>Returns an EXISTS condition on a tag table; see <see cref="PromptTagKey"/> for the one != that matches a missing tag.</summary>
    private string TagFilterSql(DbCommand command, FilterClause clause, string table, string join)
    {
        var key = command.Bind(clause.Identifier.Key);
        if (clause.Identifier.Key == PromptTagKey && clause.Comparator == "!=")
        {
            return $"NOT EXISTS (SELECT 1 FROM {table} WHERE {join} AND t.key = {key} AND t.value = {command.Bind(clause.Value.Text)})";
        }

        return $"EXISTS (SELECT 1 FROM {table} WHERE {join} AND t.key = {key} AND {CompareSql(command, "t.value", clause)})";
    }

    /// <summary>Returns SQL comparing a text column; <paramref name="expression"/> is trusted SQL chosen by the store.</summary>
    private string CompareSql(DbCommand command, string expression, FilterClause clause) => clause.Comparator switch
    {
        "=" => $"{expression} = {command.Bind(clause.Value.Text)}",
        "!=" => $"{expression} <> {command.Bind(clause.Value.Text)}",
        "LIKE" => $"{expression} LIKE {command.Bind(clause.Value.Text)}",
        "ILIKE" => _dialect.IlikeSql(expression, command.Bind(clause.Value.Text)),
        "IN" => $"{expression} IN ({BindList(command, clause.Value.List!)})",
        _ => $"{expression} NOT IN ({BindList(command, clause.Value.List!)})",
    };
}
