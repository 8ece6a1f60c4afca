namespace Pipeline.Quantization.Calibration;

/// <summary>Accumulates one tensor's values over calibration batches and reports the range to quantize to.</summary>
internal interface IRangeCollector
{
    void Add(ReadOnlySpan<float> values);

    TensorRange Range { get; }
}

internal static class CalibrationValues
{
    public static InvalidDataException NotFinite(string tensorName, float value) => new(
        $"Calibration tensor '{tensorName}' holds {value}; calibration needs finite values. Check the calibration data for NaN or infinity and that the float model runs cleanly on it.");
}

internal sealed class MinMaxCollector(string tensorName) : IRangeCollector
{
    private float _min = float.PositiveInfinity;
    private float _max = float.NegativeInfinity;

    public TensorRange Range => _min <= _max ? new TensorRange(_min, _max) : default;

    public void Add(ReadOnlySpan<float> values)
    {
        foreach (var value in values)
        {
            if (!float.IsFinite(value)) throw CalibrationValues.NotFinite(tensorName, value);
            _min = Math.Min(_min, value);
            _max = Math.Max(_max, value);
        }
    }
}

/// <summary>
/// Percentiles from two histograms, of the positive values and of the magnitudes of the negative ones, so the
/// lower and upper clip points each keep their own resolution.
/// </summary>
internal sealed class PercentileCollector(string tensorName, double percentile) : IRangeCollector
{
    private readonly LogLinearHistogram _positive = new();
    private readonly LogLinearHistogram _negative = new();
    private long _zeros;

    public void Add(ReadOnlySpan<float> values)
    {
        foreach (var value in values)
        {
            if (!float.IsFinite(value)) throw CalibrationValues.NotFinite(tensorName, value);
            if (value > 0) _positive.Add(value);
            else if (value < 0) _negative.Add(-value);
            else _zeros++;
        }
    }

    public TensorRange Range
    {
        get
        {
            var total = _negative.Count + _zeros + _positive.Count;
            if (total == 0) return default;
            var lowRank = Math.Max(1, (long)Math.Ceiling((100 - percentile) / 100 * total));
            var highRank = Math.Max(1, (long)Math.Ceiling(percentile / 100 * total));
            return new TensorRange(ValueAtRank(lowRank), ValueAtRank(highRank));
        }
    }

    /// <summary>The k-th smallest value (1-based), rounded away from zero to its histogram bucket's edge.</summary>
    private float ValueAtRank(long rank)
    {
        // Ascending values are the negatives from the largest magnitude down, then the zeros, then the positives.
        if (rank <= _negative.Count) return -_negative.MagnitudeAtRank(_negative.Count - rank + 1);
        rank -= _negative.Count;
        if (rank <= _zeros) return 0;
        return _positive.MagnitudeAtRank(rank - _zeros);
    }
}
