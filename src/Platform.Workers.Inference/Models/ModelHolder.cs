namespace Platform.Workers.Inference.Models;

/// <summary>
/// The model currently served. A swap replaces the reference atomically, so a request keeps the
/// model it started with and no request is dropped. The replaced model's memory is freed by its
/// finaliser once no request refers to it.
/// </summary>
public sealed class ModelHolder
{
    private ServedModel? _current;

    /// <summary>The served model, or null before the first load.</summary>
    public ServedModel? Current => Volatile.Read(ref _current);

    /// <summary>Serves <paramref name="model"/> from now on and returns the model it replaced.</summary>
    public ServedModel? Swap(ServedModel model) => Interlocked.Exchange(ref _current, model);
}
