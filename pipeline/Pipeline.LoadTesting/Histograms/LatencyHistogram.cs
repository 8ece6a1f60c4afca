namespace Pipeline.LoadTesting.Histograms;

/// <summary>
/// Log-linear latency histogram over whole microseconds: values below 2^k are counted exactly; above, each
/// power-of-two range [2^e, 2^(e+1)) is split into 2^k equal sub-buckets, so a bucket is at most 2^-k of its
/// values wide (k = 10: ≤ 0.098%). Percentiles report the bucket midpoint (clamped to the exact min/max), so the
/// error against the exact sample is at most half a bucket. Memory is fixed at construction; recording is O(1)
/// and thread-safe (Interlocked), so many workers may record into one instance.
/// </summary>
public sealed class LatencyHistogram
{
    public const int DefaultSubBucketBits = 10;

    /// <summary>One hour in microseconds, the default largest value kept at full precision.</summary>
    public const long DefaultHighestMicroseconds = 3_600_000_000;

    private readonly long[] _counts;
    private readonly int _subBucketBits;
    private readonly long _highest;
    private long _total;
    private long _sum;
    private long _min = long.MaxValue;
    private long _max = long.MinValue;

    public LatencyHistogram(int subBucketBits = DefaultSubBucketBits, long highestMicroseconds = DefaultHighestMicroseconds)
    {
        if (subBucketBits is < 1 or > 20)
            throw new ArgumentOutOfRangeException(nameof(subBucketBits), subBucketBits, "Sub-bucket bits must be between 1 and 20 (10 gives ≤ 0.1% relative error).");
        if (highestMicroseconds < 2)
            throw new ArgumentOutOfRangeException(nameof(highestMicroseconds), highestMicroseconds, "The highest trackable value must be at least 2 µs.");
        _subBucketBits = subBucketBits;
        _highest = highestMicroseconds;
        _counts = new long[IndexOf(highestMicroseconds) + 1];
    }

    public int SubBucketBits => _subBucketBits;
    public long HighestMicroseconds => _highest;
    public long Count => Interlocked.Read(ref _total);
    public long MinMicroseconds => Count == 0 ? 0 : Interlocked.Read(ref _min);
    public long MaxMicroseconds => Count == 0 ? 0 : Interlocked.Read(ref _max);
    public double MeanMicroseconds => Count == 0 ? 0 : (double)Interlocked.Read(ref _sum) / Count;

    public void Record(TimeSpan latency) => RecordMicroseconds(latency.Ticks / TimeSpan.TicksPerMicrosecond);

    /// <summary>Records one value; negatives count as 0, values above the highest land in the top bucket (min/max stay exact).</summary>
    public void RecordMicroseconds(long microseconds)
    {
        var value = Math.Max(0, microseconds);
        Interlocked.Increment(ref _counts[IndexOf(Math.Min(value, _highest))]);
        Interlocked.Add(ref _sum, value);
        Interlocked.Increment(ref _total);
        UpdateMin(value);
        UpdateMax(value);
    }

    /// <summary>Adds every count of <paramref name="other"/> into this histogram (same layout required).</summary>
    public void Merge(LatencyHistogram other)
    {
        ArgumentNullException.ThrowIfNull(other);
        if (other._subBucketBits != _subBucketBits || other._highest != _highest)
            throw new ArgumentException($"Cannot merge histograms with different layouts (k={other._subBucketBits}, highest={other._highest} µs into k={_subBucketBits}, highest={_highest} µs).", nameof(other));
        if (other.Count == 0) return;
        for (var i = 0; i < _counts.Length; i++)
        {
            var c = Interlocked.Read(ref other._counts[i]);
            if (c != 0) Interlocked.Add(ref _counts[i], c);
        }
        Interlocked.Add(ref _sum, Interlocked.Read(ref other._sum));
        Interlocked.Add(ref _total, other.Count);
        UpdateMin(other.MinMicroseconds);
        UpdateMax(other.MaxMicroseconds);
    }

    /// <summary>
    /// The value at percentile <paramref name="percentile"/> (0–100]: walks buckets until the running count reaches
    /// ceil(p/100 × total) and returns that bucket's midpoint, clamped to [min, max]. 0 when empty.
    /// </summary>
    public long PercentileMicroseconds(double percentile)
    {
        if (percentile is <= 0 or > 100 || double.IsNaN(percentile))
            throw new ArgumentOutOfRangeException(nameof(percentile), percentile, "Percentile must be in (0, 100].");
        var total = Count;
        if (total == 0) return 0;
        var rank = Math.Max(1, (long)Math.Ceiling(percentile / 100.0 * total));
        long running = 0;
        for (var i = 0; i < _counts.Length; i++)
        {
            running += Interlocked.Read(ref _counts[i]);
            if (running >= rank)
                return Math.Clamp(MidpointOf(i), MinMicroseconds, MaxMicroseconds);
        }
        return MaxMicroseconds;
    }

    public TimeSpan Percentile(double percentile) => TimeSpan.FromMicroseconds(PercentileMicroseconds(percentile));

    private int IndexOf(long value)
    {
        var linear = 1L << _subBucketBits;
        if (value < linear) return (int)value;
        var exponent = 63 - long.LeadingZeroCount(value);
        var shift = (int)exponent - _subBucketBits;
        var sub = (value >> shift) - linear;
        return (int)(linear + (shift * linear) + sub);
    }

    private long MidpointOf(int index)
    {
        var linear = 1L << _subBucketBits;
        if (index < linear) return index;
        var shift = (int)((index - linear) / linear);
        var sub = (index - linear) % linear;
        var lower = (linear + sub) << shift;
        var width = 1L << shift;
        return lower + ((width - 1) / 2);
    }

    private void UpdateMin(long value)
    {
        var current = Interlocked.Read(ref _min);
        while (value < current)
        {
            var seen = Interlocked.CompareExchange(ref _min, value, current);
            if (seen == current) return;
            current = seen;
        }
    }

    private void UpdateMax(long value)
    {
        var current = Interlocked.Read(ref _max);
        while (value > current)
        {
            var seen = Interlocked.CompareExchange(ref _max, value, current);
            if (seen == current) return;
            current = seen;
        }
    }
}
