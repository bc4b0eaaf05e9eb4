namespace Platform.Models.Ffm.Random;

/// <summary>
/// <c>std::minstd_rand0</c> (x ← 16807·x mod 2^31 − 1), which is libstdc++'s
/// <c>std::default_random_engine</c>; libffm 1.21 draws its initial weights from it with the
/// default seed 1.
/// </summary>
public sealed class MinStdRand0(uint seed = 1)
{
    private const uint Modulus = 2147483647;
    private ulong _state = seed % Modulus == 0 ? 1 : seed % Modulus;

    /// <summary>Returns the next value in [1, 2^31 − 2].</summary>
    public uint Next()
    {
        _state = _state * 16807 % Modulus;
        return (uint)_state;
    }

    /// <summary>
    /// Returns <c>std::uniform_real_distribution&lt;float&gt;(0, 1)</c> as libstdc++ computes it:
    /// <c>generate_canonical&lt;float, 24&gt;</c> takes one draw, (x − 1) / 2^31 in float arithmetic
    /// (the range 2^31 − 2 rounds to 2^31 as a float), and maps a result of 1 to the float below 1.
    /// </summary>
    public float NextUniformFloat()
    {
        var value = (float)(Next() - 1) / 2147483648f;
        return value >= 1f ? MathF.BitDecrement(1f) : value;
    }
}
