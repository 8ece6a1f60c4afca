namespace Pipeline.Quantization.Calibration;

/// <summary>
/// Counts positive floats in log-linear buckets: one bucket per binary exponent, split into 2^7 linear sub-buckets
/// by the top mantissa bits. Any value lands in O(1) with relative error below 1/128, whatever the spread of the
/// data, so one huge outlier does not coarsen the resolution near the bulk of the values (as a linear histogram
/// over [0, max] would).
/// </summary>
internal sealed class LogLinearHistogram
{
    private const int SubBucketBits = 7;
    private const int MantissaBits = 23;
    private const int Shift = MantissaBits - SubBucketBits;

    // Positive finite floats have bit patterns below 0x7F800000; each bucket is a run of 2^Shift patterns.
    private readonly long[] _buckets = new long[0x7F800000 >> Shift];

    public long Count { get; private set; }

    public float Max { get; private set; }

    /// <param name="value">A positive finite value.</param>
    public void Add(float value)
    {
        _buckets[BitConverter.SingleToInt32Bits(value) >> Shift]++;
        Count++;
        if (value > Max) Max = value;
    }

    /// <summary>The upper edge of the bucket holding the rank-th smallest value (1-based), capped at the largest value seen.</summary>
    public float MagnitudeAtRank(long rank)
    {
        long seen = 0;
        for (var bucket = 0; bucket < _buckets.Length; bucket++)
        {
            seen += _buckets[bucket];
            if (seen >= rank) return Math.Min(BitConverter.Int32BitsToSingle((bucket + 1) << Shift), Max);
        }
        return Max;
    }
}
