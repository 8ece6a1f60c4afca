using System.Globalization;

namespace Pipeline.Quantization.Calibration;

/// <summary>How observed activation values become the range a quantized activation covers.</summary>
public abstract record CalibrationMethod
{
    private protected CalibrationMethod()
    {
    }

    /// <summary>The full observed range: nothing is clipped, but one outlier stretches the scale for every value.</summary>
    public static CalibrationMethod MinMax { get; } = new MinMaxCalibration();

    /// <summary>
    /// Clips the rarest values: the range runs from the (100 − p)th to the p-th percentile of the observed values
    /// (widened to include 0), so a few outliers no longer coarsen the scale for everything else.
    /// </summary>
    public static CalibrationMethod Percentile(double percentile = 99.99) => new PercentileCalibration(percentile);

    /// <summary>A short name for metadata and logs, such as "minmax" or "percentile_99.99".</summary>
    public abstract string Name { get; }

    internal abstract IRangeCollector CreateCollector(string tensorName);
}

public sealed record MinMaxCalibration : CalibrationMethod
{
    public override string Name => "minmax";

    internal override IRangeCollector CreateCollector(string tensorName) => new MinMaxCollector(tensorName);
}

public sealed record PercentileCalibration : CalibrationMethod
{
    public PercentileCalibration(double percentile)
    {
        if (!(percentile > 50 && percentile <= 100))
            throw new ArgumentOutOfRangeException(nameof(percentile), percentile,
                "The calibration percentile must be above 50 and at most 100, for example 99.99.");
        Percent = percentile;
    }

    /// <summary>The percentile kept, such as 99.99.</summary>
    public double Percent { get; }

    public override string Name => "percentile_" + Percent.ToString(CultureInfo.InvariantCulture);

    internal override IRangeCollector CreateCollector(string tensorName) => new PercentileCollector(tensorName, Percent);
}
