using System.Data.Common;
using Platform.Tracking.Model;

namespace Platform.Tracking.Storage;

/// <summary>
/// Reads the model outputs of runs for <c>runs/get</c> and <c>runs/search</c>. The logged-model feature owns the
/// outputs table, so the tracking store reads outputs only when that feature registers an implementation.
/// </summary>
internal interface IRunOutputReader
{
    /// <summary>Adds the outputs of <paramref name="runIds"/> to <paramref name="target"/>, keyed by run id, on the store's open connection.</summary>
    Task ReadAsync(DbConnection connection, IReadOnlyList<string> runIds, Dictionary<string, List<RunModelOutput>> target, CancellationToken cancellationToken);
}
