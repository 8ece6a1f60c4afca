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

    /// <summary>Relative thresholds: candidate and baseline values, their ratio and the verdict.</summary>
    public static string Render(IReadOnlyList<RelativeThresholdResult> results)
    {
        if (results.Count == 0) return "no relative thresholds were set\n";
        var rows = results.Select(r =>
        {
            var unit = r.Threshold.AgainstBaseline(1);
            return new[] { r.Threshold.Expression, ReportFormat.InUnit(unit, r.Candidate), ReportFormat.InUnit(unit, r.Baseline),
                ReportFormat.Ratio(r), r.Passed ? "pass" : "FAIL" };
        }).Prepend(["threshold", "candidate", "baseline", "ratio", "result"]).ToList();
        var widths = Enumerable.Range(0, 4).Select(i => rows.Max(r => r[i].Length)).ToArray();
        var text = new StringBuilder();
        foreach (var row in rows)
            text.AppendLine(string.Join("  ", row.Take(4).Select((cell, i) => cell.PadRight(widths[i]))) + "  " + row[4]);
        return text.ToString();
    }
}
