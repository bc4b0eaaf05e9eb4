namespace Platform.Models.Ffm.Random;

/// <summary>
/// glibc's <c>rand()</c>: the TYPE_3 additive feedback generator (degree 31, separation 3) seeded by
/// <c>srand(seed)</c>. libffm 1.21 shuffles with <c>std::random_shuffle</c>, which calls
/// <c>rand()</c>, and never seeds it, so its order comes from seed 1.
/// </summary>
public sealed class GlibcRandom
{
    private const int Degree = 31;
    private const int Separation = 3;
    private readonly uint[] _state = new uint[Degree];
    private int _front = Separation;
    private int _rear;

    public GlibcRandom(uint seed = 1)
    {
        // srandom_r: a Lehmer sequence (16807 mod 2^31 - 1, Schrage's method) fills the state, then
        // 310 outputs are discarded.
        var word = seed == 0 ? 1 : (int)seed;
        _state[0] = (uint)word;
        for (var i = 1; i < Degree; i++)
        {
            var hi = word / 127773;
            var lo = word % 127773;
            word = (16807 * lo) - (2836 * hi);
            if (word < 0)
            {
                word += int.MaxValue;
            }

            _state[i] = (uint)word;
        }

        for (var i = 0; i < Degree * 10; i++)
        {
            Next();
        }
    }

    /// <summary>Returns the next value in [0, 2^31 - 1], as <c>rand()</c> does.</summary>
    public int Next()
    {
        _state[_front] = unchecked(_state[_front] + _state[_rear]);
        var result = (int)(_state[_front] >> 1);
        _front = _front + 1 == Degree ? 0 : _front + 1;
        _rear = _rear + 1 == Degree ? 0 : _rear + 1;
        return result;
    }

    /// <summary>
    /// Shuffles <paramref name="items"/> as libstdc++'s <c>std::random_shuffle(first, last)</c> does:
    /// for i from 1, swap item i with item <c>rand() % (i + 1)</c>.
    /// </summary>
    public void RandomShuffle(Span<int> items)
    {
        for (var i = 1; i < items.Length; i++)
        {
            var j = Next() % (i + 1);
            if (i != j)
            {
                (items[i], items[j]) = (items[j], items[i]);
            }
        }
    }
}
