using Platform.Tracking.Storage;

namespace Platform.Tracking.Registry.LoggedModels;

/// <summary>The query on <c>run_model_outputs</c>, which <c>runs/outputs</c> fills, for the runs that the tracking store loads.</summary>
internal sealed class RunModelOutputQuery : IRunOutputQuery
{
    public string SelectSqlFormat => "SELECT run_id, model_id, step FROM run_model_outputs WHERE run_id IN ({0}) ORDER BY step, model_id";
}
