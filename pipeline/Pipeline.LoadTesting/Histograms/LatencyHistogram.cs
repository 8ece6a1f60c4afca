using HdrHistogram;

namespace Pipeline.LoadTesting.Histograms;

/// <summary>
/// Latency distribution over whole microseconds: an HdrHistogram holds the counts (3 significant digits by default:
/// ≤ 0.1% relative error, memory fixed at construction), and exact count, sum, min and max are kept beside it.
/// Many workers may record into one instance at once.
/// </summary>
public sealed class LatencyHistogram
{
    public const int DefaultSignificantDigits = 3;

    /// <summary>One hour in microseconds, the default largest value kept at full precision.</summary>
    public const long DefaultHighestMicroseconds = 3_600_000_000;

    // LongConcurrentHistogram records losslessly from many threads (wait-free Interlocked increments) but does not
    // synchronise reads with writes. That fits: percentiles are read once a run stops recording (a straggler
    // recording meanwhile only shifts a count; GetValueAtPercentile tolerates it where HdrHistogram's iterators
    // throw, so nothing here iterates). Its Recorder (swapping interval histograms) is for reading while recording,
    // which nothing here does. Long counts: an int bucket could overflow on a long, fast run.
    private readonly LongConcurrentHistogram _counts;
    private long _sum;
    private long _min = long.MaxValue;
    private long _max = long.MinValue;

    public LatencyHistogram(int significantDigits = DefaultSignificantDigits, long highestMicroseconds = DefaultHighestMicroseconds)
    {
        if (significantDigits is < 1 or > 5)
            throw new ArgumentOutOfRangeException(nameof(significantDigits), significantDigits, "Significant digits must be between 1 and 5 (3 gives ≤ 0.1% relative error).");
        if (highestMicroseconds < 2)
            throw new ArgumentOutOfRangeException(nameof(highestMicroseconds), highestMicroseconds, "The highest trackable value must be at least 2 µs.");
        _counts = new LongConcurrentHistogram(1, highestMicroseconds, significantDigits);
    }

    public int SignificantDigits => _counts.NumberOfSignificantValueDigits;
    public long HighestMicroseconds => _counts.HighestTrackableValue;
    public long Count => _counts.TotalCount;
    public long MinMicroseconds => Count == 0 ? 0 : Interlocked.Read(ref _min);
    public long MaxMicroseconds => Count == 0 ? 0 : Interlocked.Read(ref _max);
    public double MeanMicroseconds => Count == 0 ? 0 : (double)Interlocked.Read(ref _sum) / Count;

    public void Record(TimeSpan latency) => RecordMicroseconds(latency.Ticks / TimeSpan.TicksPerMicrosecond);

    /// <summary>Records one value; negatives count as 0, values above the highest land in the top bucket (min/max stay exact).</summary>
    public void RecordMicroseconds(long microseconds)
    {
        var value = Math.Max(0, microseconds);
        // HdrHistogram throws beyond its highest trackable value; a stalled request must still count.
        _counts.RecordValue(Math.Min(value, HighestMicroseconds));
        Interlocked.Add(ref _sum, value);
        UpdateMin(value);
        UpdateMax(value);
    }

    /// <summary>Adds every count of <paramref name="other"/> into this histogram (same layout required).</summary>
    public void Merge(LatencyHistogram other)
    {
        ArgumentNullException.ThrowIfNull(other);
        // HdrHistogram would re-bin a coarser histogram into this one and claim a precision its values never had.
        if (other.SignificantDigits != SignificantDigits || other.HighestMicroseconds != HighestMicroseconds)
            throw new ArgumentException($"Cannot merge histograms with different layouts ({other.SignificantDigits} digits, highest={other.HighestMicroseconds} µs into {SignificantDigits} digits, highest={HighestMicroseconds} µs).", nameof(other));
        if (other.Count == 0) return;
        _counts.Add(other._counts);
        Interlocked.Add(ref _sum, Interlocked.Read(ref other._sum));
        UpdateMin(other.MinMicroseconds);
        UpdateMax(other.MaxMicroseconds);
    }

    /// <summary>
    /// The value at percentile <paramref name="percentile"/> (0–100]: the midpoint of the bucket holding the sample
    /// of rank ceil(p/100 × count) (nearest rank), clamped to [min, max]. 0 when empty.
    /// </summary>
    public long PercentileMicroseconds(double percentile)
    {
        if (percentile is <= 0 or > 100 || double.IsNaN(percentile))
            throw new ArgumentOutOfRangeException(nameof(percentile), percentile, "Percentile must be in (0, 100].");
        var total = Count;
        if (total == 0) return 0;
        // HdrHistogram rounds p × count to the nearest rank, which in a sparse tail is a whole sample below the
        // nearest-rank percentile; asking for exactly the percentile of that rank makes its rounding land on it.
        var rank = Math.Max(1, (long)Math.Ceiling(percentile / 100 * total));
        var bucketTop = _counts.GetValueAtPercentile(100.0 * rank / total);
        // It answers the bucket's highest value, up to a whole bucket above the sample; the midpoint is at most half
        // a bucket off either way (≤ 0.05% at 3 digits). The clamp makes a constant sample report itself.
        return Math.Clamp(_counts.MedianEquivalentValue(bucketTop), MinMicroseconds, MaxMicroseconds);
    }

    public TimeSpan Percentile(double percentile) => TimeSpan.FromMicroseconds(PercentileMicroseconds(percentile));

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
