namespace Platform.Workers.Inference.Models;

/// <summary>Settings of the inference worker, bound from the <c>Inference</c> configuration section.</summary>
public sealed class InferenceOptions
{
    public const string SectionName = "Inference";

    /// <summary>The model to serve: <c>models:/&lt;name&gt;/&lt;version&gt;</c> or <c>models:/&lt;name&gt;@&lt;alias&gt;</c> (command line <c>--model</c>).</summary>
    public string ModelUri { get; set; } = string.Empty;

    /// <summary>How often the alias or stage is resolved again to pick up a new version.</summary>
    public TimeSpan PollInterval { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>The model file inside the version's artifact folder, as the training worker writes it.</summary>
    public string ModelFileName { get; set; } = "model.ffm";
}
