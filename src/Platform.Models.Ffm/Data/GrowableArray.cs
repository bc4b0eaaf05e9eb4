namespace Platform.Models.Ffm.Data;

/// <summary>An append-only buffer that doubles its capacity, used to collect parsed values without per-item allocations.</summary>
internal sealed class GrowableArray<T>(int initialCapacity)
{
    private T[] _items = new T[Math.Max(4, initialCapacity)];

    public int Count { get; private set; }

    public Span<T> AsSpan() => _items.AsSpan(0, Count);

    public void Add(T item)
    {
        if (Count == _items.Length)
        {
            Array.Resize(ref _items, checked(_items.Length * 2));
        }

        _items[Count++] = item;
    }
}
