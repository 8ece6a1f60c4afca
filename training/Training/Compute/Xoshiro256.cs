namespace Training.Compute;

/// <summary>
/// xoshiro256** seeded through SplitMix64 (Blackman and Vigna). Training randomness (splits, shuffles,
/// initialization, dropout) comes only from here so that a seed fixes every result on every .NET version:
/// System.Random's algorithm is unspecified and may change between releases.
/// A mutable struct: copy it only to fork a stream on purpose.
/// </summary>
public struct Xoshiro256
{
    private ulong _s0, _s1, _s2, _s3;

    public Xoshiro256(ulong seed)
    {
        var sm = seed;
        _s0 = SplitMix64(ref sm);
        _s1 = SplitMix64(ref sm);
        _s2 = SplitMix64(ref sm);
        _s3 = SplitMix64(ref sm);
    }

    /// <summary>A generator in an exact state (for checking against the reference implementation's test vectors).</summary>
    internal static Xoshiro256 FromState(ulong s0, ulong s1, ulong s2, ulong s3)
    {
        var rng = default(Xoshiro256);
        (rng._s0, rng._s1, rng._s2, rng._s3) = (s0, s1, s2, s3);
        return rng;
    }

    /// <summary>An independent stream for one purpose (split, init, shuffle, dropout) derived from a user seed.</summary>
    public static Xoshiro256 ForStream(ulong seed, RandomStream stream)
    {
        var sm = seed ^ (0x9E3779B97F4A7C15UL * ((ulong)stream + 1));
        return new Xoshiro256(SplitMix64(ref sm));
    }

    public static ulong SplitMix64(ref ulong state)
    {
        var z = state += 0x9E3779B97F4A7C15UL;
        z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9UL;
        z = (z ^ (z >> 27)) * 0x94D049BB133111EBUL;
        return z ^ (z >> 31);
    }

    public ulong NextUInt64()
    {
        var result = ulong.RotateLeft(_s1 * 5, 7) * 9;
        var t = _s1 << 17;
        _s2 ^= _s0;
        _s3 ^= _s1;
        _s1 ^= _s2;
        _s0 ^= _s3;
        _s2 ^= t;
        _s3 = ulong.RotateLeft(_s3, 45);
        return result;
    }

    /// <summary>Uniform integer in [0, bound) without modulo bias (Lemire's multiply-and-reject).</summary>
    public int NextInt(int bound)
    {
        if (bound <= 0) throw new ArgumentOutOfRangeException(nameof(bound), $"Bound must be positive, got {bound}.");
        var range = (ulong)bound;
        var product = Math.BigMul(NextUInt64(), range, out var low);
        if (low < range)
        {
            var threshold = (0UL - range) % range;
            while (low < threshold)
                product = Math.BigMul(NextUInt64(), range, out low);
        }
        return (int)product;
    }

    /// <summary>Uniform float in [0, 1) with 24 random bits (every value exactly representable).</summary>
    public float NextSingle() => (NextUInt64() >> 40) * (1.0f / (1 << 24));

    /// <summary>Uniform double in [0, 1) with 53 random bits.</summary>
    public double NextDouble() => (NextUInt64() >> 11) * (1.0 / (1UL << 53));

    /// <summary>Fisher–Yates shuffle in place.</summary>
    public void Shuffle(Span<int> values)
    {
        for (var i = values.Length - 1; i > 0; i--)
        {
            var j = NextInt(i + 1);
            (values[i], values[j]) = (values[j], values[i]);
        }
    }
}

/// <summary>The purposes that get separate random streams, so changing one (e.g. dropout) leaves the others alone.</summary>
public enum RandomStream
{
    Split,
    Initialization,
    Shuffle,
    Dropout,
}
