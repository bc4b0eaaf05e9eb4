using Platform.Models.Ffm.Model;

namespace Platform.Workers.Inference.Models;

/// <summary>A loaded model with its registry name and version.</summary>
public sealed record ServedModel(string Name, string Version, FfmModel Model);
