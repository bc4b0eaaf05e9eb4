using Platform.Tracking.Api;
using Platform.Tracking.Search;

namespace Platform.Tracking.Tests.Search;

public sealed class SearchExpressionParserTests
{
    public static TheoryData<string, EntityKind, string, string, string> ValidClauses() => new()
    {
        { "metrics.loss < 0.5", EntityKind.Metric, "loss", "<", "0.5" },
        { "metric.loss <= 1e-3", EntityKind.Metric, "loss", "<=", "0.001" },
        { "metrics.`f1 score` >= 0.8", EntityKind.Metric, "f1 score", ">=", "0.8" },
        { "metrics.\"val/auc\" > -1", EntityKind.Metric, "val/auc", ">", "-1" },
        { "metrics.acc = 1", EntityKind.Metric, "acc", "=", "1" },
        { "metrics.acc != 1", EntityKind.Metric, "acc", "!=", "1" },
        { "params.lr = '0.1'", EntityKind.Param, "lr", "=", "'0.1'" },
        { "param.lr != \"0.1\"", EntityKind.Param, "lr", "!=", "'0.1'" },
        { "parameter.model LIKE 'ffm%'", EntityKind.Param, "model", "LIKE", "'ffm%'" },
        { "parameters.model ilike 'FFM%'", EntityKind.Param, "model", "ILIKE", "'FFM%'" },
        { "tags.`user-name` = 'alice'", EntityKind.Tag, "user-name", "=", "'alice'" },
        { "tag.\"mlflow.source.name\" LIKE '%.py'", EntityKind.Tag, "mlflow.source.name", "LIKE", "'%.py'" },
        { "tags.note = 'it''s'", EntityKind.Tag, "note", "=", "'it's'" },
        { "attributes.status = 'FINISHED'", EntityKind.Attribute, "status", "=", "'FINISHED'" },
        { "attribute.start_time > 100", EntityKind.Attribute, "start_time", ">", "100" },
        { "attr.run_id IN ('a', 'b')", EntityKind.Attribute, "run_id", "IN", "('a', 'b')" },
        { "run.run_id not in ('a')", EntityKind.Attribute, "run_id", "NOT IN", "('a')" },
        { "`attributes`.run_name = 'x'", EntityKind.Attribute, "run_name", "=", "'x'" },
        { "status = 'RUNNING'", EntityKind.Attribute, "status", "=", "'RUNNING'" },
        { "created >= 5", EntityKind.Attribute, "start_time", ">=", "5" },
        { "attributes.`Run name` = 'x'", EntityKind.Attribute, "run_name", "=", "'x'" },
        { "datasets.name = 'frappe'", EntityKind.Dataset, "name", "=", "'frappe'" },
        { "dataset.digest IN ('d1', 'd2')", EntityKind.Dataset, "digest", "IN", "('d1', 'd2')" },
        { "datasets.context LIKE 'train%'", EntityKind.Dataset, "context", "LIKE", "'train%'" },
    };

    [Theory]
    [MemberData(nameof(ValidClauses))]
    public void RunFilter_ParsesClause(string filter, EntityKind kind, string key, string comparator, string value)
    {
        var clause = Assert.Single(RunSearchRules.ParseFilter(filter));

        Assert.Equal(kind, clause.Identifier.Kind);
        Assert.Equal(key, clause.Identifier.Key);
        Assert.Equal(comparator, clause.Comparator);
        Assert.Equal(value, clause.Value.ToString());
    }

    [Fact]
    public void RunFilter_SplitsOnAndInAnyCase()
    {
        var clauses = RunSearchRules.ParseFilter("metrics.a > 1 AND params.b = 'x and y' and tags.c != 'z'");

        Assert.Equal(3, clauses.Count);
        Assert.Equal("x and y", clauses[1].Value.Text);
        Assert.Equal(EntityKind.Tag, clauses[2].Identifier.Kind);
    }

    [Theory]
    [InlineData("")]
    [InlineData("   ")]
    [InlineData(null)]
    public void RunFilter_EmptyMeansNoClauses(string? filter)
    {
        Assert.Empty(RunSearchRules.ParseFilter(filter));
    }

    [Theory]
    [InlineData("metrics.a > 1 OR metrics.b > 1", "OR")]
    [InlineData("(metrics.a > 1)", "parentheses")]
    [InlineData("metrics.a LIKE '1'", "comparator")]
    [InlineData("metrics.a > 'x'", "number")]
    [InlineData("params.a > '1'", "comparator")]
    [InlineData("params.a = 1", "quoted string")]
    [InlineData("tags.a IN ('x')", "comparator")]
    [InlineData("attributes.start_time = 'x'", "number")]
    [InlineData("attributes.status IN 'x'", "list")]
    [InlineData("attributes.color = 'red'", "attribute key")]
    [InlineData("datasets.rows = 'x'", "dataset key")]
    [InlineData("things.a = 'x'", "entity type")]
    [InlineData("params.a = 'open", "never closed")]
    [InlineData("params.a == 'x'", "comparator")]
    [InlineData("params.a", "comparator is missing")]
    [InlineData("params.a = 'x' AND", "missing")]
    [InlineData("params.a = 'x' params.b = 'y'", "AND")]
    [InlineData("attributes.run_id IN ('a' 'b')", "list")]
    [InlineData("metrics. > 1", "key")]
    public void RunFilter_RejectsMalformed(string filter, string expectedWords)
    {
        var error = Assert.Throws<TrackingException>(() => RunSearchRules.ParseFilter(filter));

        Assert.Equal(ErrorCodes.InvalidParameterValue, error.ErrorCode);
        Assert.Contains(expectedWords, error.Message, StringComparison.OrdinalIgnoreCase);
    }

    [Theory]
    [InlineData("trace.status = 'OK'", EntityKind.Attribute, "status")]
    [InlineData("TRACE.timestamp_ms > 1", EntityKind.Attribute, "timestamp_ms")]
    [InlineData("metadata.`mlflow.user` = 'alice'", EntityKind.Metadata, "mlflow.user")]
    [InlineData("request_metadata.run = 'x'", EntityKind.Metadata, "run")]
    [InlineData("tags.k = 'trace.x'", EntityKind.Tag, "k")]
    public void TraceFilter_ParsesTraceAndMetadataPrefixes(string filter, EntityKind kind, string key)
    {
        var clause = Assert.Single(SearchExpressionParser.ParseFilter(filter, traceIdentifiers: true));

        Assert.Equal(kind, clause.Identifier.Kind);
        Assert.Equal(key, clause.Identifier.Key);
    }

    [Fact]
    public void TraceFilter_QuotedTracePrefixStaysValue()
    {
        var clause = Assert.Single(SearchExpressionParser.ParseFilter("attributes.name = \"trace.y\"", traceIdentifiers: true));

        Assert.Equal("name", clause.Identifier.Key);
        Assert.Equal("trace.y", clause.Value.Text);
    }

    [Theory]
    [InlineData("trace.status = 'OK'")]
    [InlineData("metadata.k = 'v'")]
    public void RunFilter_RejectsTraceOnlyPrefixes(string filter)
    {
        var error = Assert.Throws<TrackingException>(() => RunSearchRules.ParseFilter(filter));

        Assert.Equal(ErrorCodes.InvalidParameterValue, error.ErrorCode);
        Assert.Contains("metrics, params, tags, attributes or datasets", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("metrics.loss", EntityKind.Metric, "loss", true)]
    [InlineData("metrics.loss DESC", EntityKind.Metric, "loss", false)]
    [InlineData("params.`lr` asc", EntityKind.Param, "lr", true)]
    [InlineData("tags.\"a b\" desc", EntityKind.Tag, "a b", false)]
    [InlineData("attributes.start_time DESC", EntityKind.Attribute, "start_time", false)]
    [InlineData("created", EntityKind.Attribute, "start_time", true)]
    public void RunOrderBy_ParsesEntry(string orderBy, EntityKind kind, string key, bool ascending)
    {
        var clause = Assert.Single(RunSearchRules.ParseOrderBy([orderBy]));

        Assert.Equal(kind, clause.Identifier.Kind);
        Assert.Equal(key, clause.Identifier.Key);
        Assert.Equal(ascending, clause.Ascending);
    }

    [Theory]
    [InlineData("metrics.loss UP")]
    [InlineData("metrics.loss DESC extra")]
    [InlineData("datasets.name")]
    [InlineData("attributes.unknown")]
    [InlineData("")]
    public void RunOrderBy_RejectsMalformed(string orderBy)
    {
        var error = Assert.Throws<TrackingException>(() => RunSearchRules.ParseOrderBy([orderBy]));

        Assert.Equal(ErrorCodes.InvalidParameterValue, error.ErrorCode);
    }

    [Theory]
    [InlineData("name = 'a'")]
    [InlineData("name ILIKE '%a%'")]
    [InlineData("tags.team != 'x'")]
    [InlineData("creation_time > 5")]
    [InlineData("attributes.last_update_time <= 5")]
    public void ExperimentFilter_AcceptsNameTimesAndTags(string filter)
    {
        Assert.Single(ExperimentSearchRules.ParseFilter(filter));
    }

    [Theory]
    [InlineData("metrics.a > 1")]
    [InlineData("name > 'a'")]
    [InlineData("creation_time = 'x'")]
    [InlineData("status = 'a'")]
    public void ExperimentFilter_RejectsOthers(string filter)
    {
        var error = Assert.Throws<TrackingException>(() => ExperimentSearchRules.ParseFilter(filter));

        Assert.Equal(ErrorCodes.InvalidParameterValue, error.ErrorCode);
    }
}
