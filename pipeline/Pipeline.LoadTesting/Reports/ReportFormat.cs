using System.Globalization;
using Pipeline.LoadTesting.Thresholds;

namespace Pipeline.LoadTesting.Reports;

/// <summary>Number formatting shared by the text reports (invariant culture: reports are diffed across machines).</summary>
internal static class ReportFormat
{
    public static string Ms(TimeSpan value) => Ms(value.TotalMilliseconds);

    public static string Ms(double milliseconds) => double.IsNaN(milliseconds)
        ? "n/a"
        : milliseconds.ToString(milliseconds >= 100 ? "0.0" : "0.000", CultureInfo.InvariantCulture) + " ms";

    public static string Number(double value) => value.ToString("0.###", CultureInfo.InvariantCulture);

    /// <summary>The ratio a relative threshold was decided on, and what it is a ratio of.</summary>
    public static string Ratio(RelativeThresholdResult result) =>
        Number(result.Ratio) + "x" + (result.PairedWindows > 0
            ? $" (median of {result.PairedWindows} paired {(result.WindowSeconds == 1 ? "seconds" : $"{result.WindowSeconds}-second windows")}, " +
              $"{result.WindowsBeyond} past the limit where a regression needs {result.WindowsNeeded}; whole run {Number(result.WholeRunRatio)}x)"
            : " (whole run)");

    /// <summary>A threshold's measured value or margin in the threshold's own unit.</summary>
    public static string InUnit(Threshold threshold, double value) => threshold.IsLatency
        ? Ms(value)
        : threshold.Metric == ThresholdMetric.ErrorRate
            ? (value * 100).ToString("0.####", CultureInfo.InvariantCulture) + " %"
            : Number(value) + " req/s";
}
