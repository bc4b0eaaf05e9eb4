namespace Platform.Tracking.Storage;

/// <summary>
/// The query for the model outputs of runs, for <c>runs/get</c> and <c>runs/search</c>. The logged-model feature owns
/// the outputs table, so the tracking store reads outputs only when that feature registers an implementation.
/// </summary>
internal interface IRunOutputQuery
{
    /// <summary>
    /// A SELECT of run id, model id and step (in that column order) for the runs in <c>{0}</c>, which the store replaces
    /// with a list of bound run id parameters for <c>IN (...)</c>.
    /// </summary>
    string SelectSqlFormat { get; }
}
