using System.Data.Common;
using System.Globalization;
using Platform.Tracking.Api;
using Platform.Tracking.Model;

namespace Platform.Tracking.Storage.Sql;

/// <summary>
/// <see cref="ITrackingStore"/> over SQL shared by SQLite and PostgreSQL. The differences live in
/// <see cref="SqlDialect"/>. Every value is a bound parameter, and every write is one transaction.
/// </summary>
internal sealed partial class SqlTrackingStore : ITrackingStore, IAsyncDisposable
{
    private const string RunColumns =
        "r.run_uuid, r.experiment_id, r.name, r.user_id, r.status, r.start_time, r.end_time, r.artifact_uri, r.lifecycle_stage";

    private readonly SqlDialect _dialect;
    private readonly TimeProvider _time;
    private readonly IRunOutputQuery? _outputs;

    /// <param name="outputs">The run outputs query. Without it, runs have no <c>outputs.model_outputs</c>.</param>
    public SqlTrackingStore(SqlDialect dialect, TimeProvider time, IRunOutputQuery? outputs = null)
    {
        ArgumentNullException.ThrowIfNull(dialect);
        ArgumentNullException.ThrowIfNull(time);

        _dialect = dialect;
        _time = time;
        _outputs = outputs;
    }

    public Task MigrateAsync(CancellationToken cancellationToken) => _dialect.MigrateAsync(Now(), cancellationToken);

    public async Task PingAsync(CancellationToken cancellationToken)
    {
        await using var connection = await _dialect.OpenConnectionAsync(cancellationToken);
        await using var command = connection.CreateCommand(null, "SELECT 1");
        await command.ExecuteScalarAsync(cancellationToken);
    }

    public ValueTask DisposeAsync() => _dialect.DisposeAsync();

    private long Now() => _time.GetUtcNow().ToUnixTimeMilliseconds();

    private static string FormatId(long id) => id.ToString(CultureInfo.InvariantCulture);

    private static long ParseExperimentId(string experimentId) =>
        long.TryParse(experimentId, NumberStyles.None, CultureInfo.InvariantCulture, out var id)
            ? id
            : throw TrackingException.NotFound($"No Experiment with id={experimentId} exists.");

    private static RunInfo ReadRunInfo(DbDataReader reader, int offset = 0) => new(
        RunId: reader.GetString(offset),
        RunName: reader.GetString(offset + 2),
        ExperimentId: FormatId(reader.GetInt64(offset + 1)),
        UserId: reader.GetString(offset + 3),
        Status: reader.GetString(offset + 4),
        StartTime: reader.GetInt64(offset + 5),
        EndTime: reader.GetNullableInt64(offset + 6),
        ArtifactUri: reader.GetString(offset + 7),
        LifecycleStage: reader.GetString(offset + 8));

    /// <summary>Reads the lifecycle stage of a run inside a write transaction, or throws when the run does not exist.</summary>
    private static async Task<string> GetRunStageAsync(DbConnection connection, DbTransaction? transaction, string runId, CancellationToken cancellationToken)
    {
        await using var command = connection.CreateCommand(transaction, "SELECT lifecycle_stage FROM runs WHERE run_uuid = @run");
        command.Add("@run", runId);
        var stage = await command.ExecuteScalarAsync(cancellationToken) as string;
        return stage ?? throw TrackingException.NotFound($"Run with id={runId} not found.");
    }

    private static async Task RequireActiveRunAsync(DbConnection connection, DbTransaction transaction, string runId, CancellationToken cancellationToken)
    {
        var stage = await GetRunStageAsync(connection, transaction, runId, cancellationToken);
        if (stage != LifecycleStage.Active)
        {
            throw TrackingException.InvalidParameter(
                $"The run {runId} must be in the 'active' state. Current state is {stage}. Restore the run before writing to it.");
        }
    }

    private static async Task<int> ExecuteAsync(DbConnection connection, DbTransaction? transaction, string sql, CancellationToken cancellationToken, params (string Name, object? Value)[] parameters)
    {
        await using var command = connection.CreateCommand(transaction, sql);
        foreach (var (name, value) in parameters)
        {
            command.Add(name, value);
        }

        return await command.ExecuteNonQueryAsync(cancellationToken);
    }

    /// <summary>Splits <paramref name="values"/> into lists short enough for one <c>IN (...)</c>.</summary>
    private IEnumerable<IReadOnlyList<string>> Chunk(IReadOnlyList<string> values) =>
        values.Chunk(_dialect.MaxListParameters);

    private static string BindList(DbCommand command, IEnumerable<string> values) =>
        string.Join(", ", values.Select(value => command.Bind(value)));
}
