using System.Data.Common;
using Platform.Tracking.Model;
using Platform.Tracking.Storage;
using Platform.Tracking.Storage.Sql;

namespace Platform.Tracking.Registry.LoggedModels;

/// <summary>Reads <c>run_model_outputs</c>, which <c>runs/outputs</c> fills, for the runs that the tracking store loads.</summary>
internal sealed class RunModelOutputReader : IRunOutputReader
{
    public async Task ReadAsync(DbConnection connection, IReadOnlyList<string> runIds, Dictionary<string, List<RunModelOutput>> target, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(connection);
        ArgumentNullException.ThrowIfNull(runIds);
        ArgumentNullException.ThrowIfNull(target);

        await using var command = connection.CreateCommand(null, string.Empty);
        var placeholders = string.Join(", ", runIds.Select(runId => command.Bind(runId)));
        command.CommandText = $"SELECT run_id, model_id, step FROM run_model_outputs WHERE run_id IN ({placeholders}) ORDER BY step, model_id";
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            var runId = reader.GetString(0);
            if (!target.TryGetValue(runId, out var list))
            {
                target[runId] = list = [];
            }

            list.Add(new RunModelOutput(reader.GetString(1), reader.GetInt64(2)));
        }
    }
}
