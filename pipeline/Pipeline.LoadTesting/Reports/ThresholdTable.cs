using System.Text;
using Pipeline.LoadTesting.Thresholds;

namespace Pipeline.LoadTesting.Reports;

/// <summary>The plain-text table of threshold, measured value and margin that the log and failures show.</summary>
public static class ThresholdTable
{
    public static string Render(IReadOnlyList<ThresholdResult> results)
    {
        if (results.Count == 0) return "no thresholds were set\n";
        var rows = results.Select(r => (r.Threshold.Expression, ReportFormat.InUnit(r.Threshold, r.Measured), ReportFormat.InUnit(r.Threshold, r.Margin), r.Passed ? "pass" : "FAIL")).ToList();
        var widths = new[]
        {
            Math.Max("threshold".Length, rows.Max(r => r.Item1.Length)),
            Math.Max("measured".Length, rows.Max(r => r.Item2.Length)),
            Math.Max("margin".Length, rows.Max(r => r.Item3.Length)),
        };
        var text = new StringBuilder();
        text.AppendLine($"{"threshold".PadRight(widths[0])}  {"measured".PadRight(widths[1])}  {"margin".PadRight(widths[2])}  result");
        foreach (var (expression, measured, margin, verdict) in rows)
            text.AppendLine($"{expression.PadRight(widths[0])}  {measured.PadRight(widths[1])}  {margin.PadRight(widths[2])}  {verdict}");
        return text.ToString();
    }
}
